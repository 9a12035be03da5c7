import { describe, expect, it } from 'vitest';
import { evaluateApprovals, type ApprovalInput } from '../../../src/approval/evaluate-approvals.js';
import {
  planReviewRequests,
  type ReviewRequestInput,
} from '../../../src/approval/plan-review-requests.js';
import type { ApprovalStage } from '../../../src/config/types.js';
import { OLD, STAGES, approvalInput, approve, requestChanges } from './fixtures.js';

interface Case {
  name: string;
  approval?: Partial<ApprovalInput>;
  plan?: Partial<Omit<ReviewRequestInput, 'state' | 'stages'>>;
  expected: { users: string[]; teams: string[] };
}

const leadPair: ApprovalStage[] = [{ name: 'lead', reviewers: ['alice', 'bob'], required: 2 }];

const cases: Case[] = [
  {
    name: 'current stage only: the first stage is asked, later stages are not',
    expected: { users: ['alice'], teams: ['team-leads'] },
  },
  {
    name: 'current stage only: once the first stage is met, the next one is asked',
    approval: { reviews: [approve('alice')] },
    expected: { users: [], teams: ['ops'] },
  },
  {
    name: 'bare team slugs: team_reviewers gets "ops", not "acme/ops"',
    approval: { reviews: [approve('lena')] },
    expected: { users: [], teams: ['ops'] },
  },
  {
    name: 'no author: the PR author is never asked (GitHub answers 422)',
    approval: { author: 'Bob', stages: leadPair },
    plan: { author: 'Bob' },
    expected: { users: ['alice'], teams: [] },
  },
  {
    name: 'draft: nobody is asked',
    plan: { draft: true },
    expected: { users: [], teams: [] },
  },
  {
    name: 'already requested skipped (users and teams, any case or form)',
    plan: { alreadyRequested: { users: ['ALICE'], teams: ['Team-Leads'] } },
    expected: { users: [], teams: [] },
  },
  {
    name: 'already requested skipped: a team given as org/slug',
    plan: { alreadyRequested: { users: [], teams: ['acme/team-leads'] } },
    expected: { users: ['alice'], teams: [] },
  },
  {
    name: 'never someone whose approval already counts on the head',
    approval: { stages: leadPair, reviews: [approve('alice')] },
    expected: { users: ['bob'], teams: [] },
  },
  {
    name: 're-request after stale: a listed reviewer with a stale approval is asked again',
    approval: { reviews: [approve('alice', OLD)] },
    expected: { users: ['alice'], teams: ['team-leads'] },
  },
  {
    name: 're-request after stale: a team member with a stale approval is asked by name',
    approval: { reviews: [approve('alice'), approve('Carol', OLD), approve('dave')] },
    expected: { users: ['Carol'], teams: ['ops'] },
  },
  {
    name: 'only teams of the repository owner org are requested',
    approval: {
      stages: [{ name: 'lead', reviewers: ['other/leads', 'ACME/Leads', 'alice'], required: 1 }],
    },
    plan: { repoOwner: 'Acme' },
    expected: { users: ['alice'], teams: ['Leads'] },
  },
  {
    name: 'bots listed as reviewers are never asked',
    approval: { stages: [{ name: 'lead', reviewers: ['renovate[bot]', 'alice'], required: 1 }] },
    expected: { users: ['alice'], teams: [] },
  },
  {
    name: 'approved: nobody is asked',
    approval: { reviews: [approve('alice'), approve('carol'), approve('dave')] },
    expected: { users: [], teams: [] },
  },
  {
    name: 'blocked with enough approvals: only the reviewer who requested changes is asked again',
    approval: { reviews: [approve('alice'), requestChanges('lena')] },
    expected: { users: ['lena'], teams: [] },
  },
  {
    name: 'unordered: every unmet stage is asked at once',
    approval: { ordered: false, reviews: [approve('carol')] },
    plan: { ordered: false },
    expected: { users: ['alice'], teams: ['team-leads', 'ops'] },
  },
  {
    name: 'unordered: met stages are not asked',
    approval: { ordered: false, reviews: [approve('alice')] },
    plan: { ordered: false },
    expected: { users: [], teams: ['ops'] },
  },
  {
    name: 'a person listed twice is asked once',
    approval: { stages: [{ name: 'lead', reviewers: ['alice', 'Alice', '@alice'], required: 1 }] },
    expected: { users: ['alice'], teams: [] },
  },
];

describe('planReviewRequests', () => {
  it.each(cases)('$name', ({ approval = {}, plan = {}, expected }) => {
    const input = approvalInput(approval);
    const state = evaluateApprovals(input);
    const result = planReviewRequests({
      state,
      stages: input.stages,
      author: input.author,
      draft: false,
      alreadyRequested: { users: [], teams: [] },
      repoOwner: 'acme',
      ...plan,
    });
    expect(result).toEqual(expected);
  });

  it('ignores state stages missing from the given config (mismatched input asks nobody for them)', () => {
    const state = evaluateApprovals(approvalInput());
    const result = planReviewRequests({
      state,
      stages: [],
      author: 'dana',
      draft: false,
      alreadyRequested: { users: [], teams: [] },
      repoOwner: 'acme',
    });
    expect(result).toEqual({ users: [], teams: [] });
    expect(STAGES).toHaveLength(2);
  });
});
