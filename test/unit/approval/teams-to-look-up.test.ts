// Which teams a run looks up: only those a review could count (or be ignored) through.
import { describe, expect, it } from 'vitest';
import { teamsToLookUp, type TeamLookupInput } from '../../../src/approval/teams-to-look-up.js';
import { teamsOf } from '../../../src/approval/team-slugs.js';
import type { ApprovalStage } from '../../../src/config/types.js';
import { OLD, STAGES, approve, comment, dismissed, requestChanges, review } from './fixtures.js';

interface Case {
  name: string;
  input: Partial<TeamLookupInput>;
  lookUp: string[];
}

const BOTH = ['acme/team-leads', 'acme/ops'];
/** alice is named in both stages that list acme/ops; bob only in one. */
const aliceEverywhere: ApprovalStage[] = [
  { name: 'lead', reviewers: ['alice', 'acme/ops'], required: 1 },
  { name: 'ops', reviewers: ['alice', 'bob', 'acme/ops'], required: 1 },
];

const cases: Case[] = [
  { name: 'no reviews: no team', input: {}, lookUp: [] },
  { name: 'only comments: no team', input: { reviews: [comment('lena')] }, lookUp: [] },
  {
    name: 'an approval by someone not named: every team listed',
    input: { reviews: [approve('lena')] },
    lookUp: BOTH,
  },
  {
    name: 'a stale approval counts as a review: every team',
    input: { reviews: [approve('lena', OLD)] },
    lookUp: BOTH,
  },
  {
    name: 'changes requested: every team',
    input: { reviews: [requestChanges('carol')] },
    lookUp: BOTH,
  },
  {
    name: 'an approval later dismissed still needs teams (it is listed as ignored or superseded)',
    input: { reviews: [approve('carol'), dismissed('carol')] },
    lookUp: BOTH,
  },
  {
    name: 'a dismissed "changes requested" alone: no team',
    input: { reviews: [requestChanges('carol'), dismissed('carol')] },
    lookUp: [],
  },
  {
    name: 'the author approving: no team (never counts)',
    input: { author: 'Carol', reviews: [approve('carol')] },
    lookUp: [],
  },
  {
    name: 'the author approving with self-approval allowed: every team',
    input: { author: 'carol', allowSelfApproval: true, reviews: [approve('carol')] },
    lookUp: BOTH,
  },
  {
    name: 'a bot (flag or login): no team',
    input: { reviews: [review('ci', 'APPROVED', undefined, true), approve('deps[bot]')] },
    lookUp: [],
  },
  {
    name: 'a named user of the only stage listing a team: that team is not needed',
    input: { reviews: [approve('ALICE')] },
    lookUp: ['acme/ops'],
  },
  {
    name: 'named in every stage listing the team: not needed',
    input: { stages: aliceEverywhere, reviews: [approve('alice')] },
    lookUp: [],
  },
  {
    name: 'named in one of the stages listing the team: needed',
    input: { stages: aliceEverywhere, reviews: [approve('bob')] },
    lookUp: ['acme/ops'],
  },
  {
    name: 'a team spelled twice in different case is looked up once',
    input: {
      stages: [
        { name: 'a', reviewers: ['acme/ops'], required: 1 },
        { name: 'b', reviewers: ['Acme/OPS'], required: 1 },
      ],
      reviews: [approve('olga')],
    },
    lookUp: ['acme/ops'],
  },
];

describe('teamsToLookUp', () => {
  it.each(cases)('$name', ({ input, lookUp }) => {
    const full: TeamLookupInput = {
      author: 'dana',
      reviews: [],
      stages: STAGES,
      allowSelfApproval: false,
      ...input,
    };
    const result = teamsToLookUp(full);
    expect(result.lookUp).toEqual(lookUp);
    // Every team entry is either looked up or left unknown, in config order.
    const teams = teamsOf(full.stages);
    expect(result.unknown).toEqual(teams.filter((team) => !lookUp.includes(team)));
  });
});
