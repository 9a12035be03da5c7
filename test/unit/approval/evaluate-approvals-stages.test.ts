import { describe, expect, it } from 'vitest';
import { evaluateApprovals, type ApprovalInput } from '../../../src/approval/evaluate-approvals.js';
import type { ApprovalStage } from '../../../src/config/types.js';
import {
  HEAD,
  OLD,
  STAGES,
  approvalInput,
  approve,
  comment,
  requestChanges,
  review,
} from './fixtures.js';

interface Case {
  name: string;
  input: Partial<ApprovalInput>;
  expected: Record<string, unknown>;
}

const twoStagesSharingBob: ApprovalStage[] = [
  { name: 'lead', reviewers: ['alice', 'bob'], required: 1 },
  { name: 'ops', reviewers: ['bob', 'carol'], required: 1 },
];

const cases: Case[] = [
  // --- changes requested veto ---
  {
    name: 'changes-requested veto: a reviewer of any stage blocks the whole request',
    input: {
      reviews: [approve('alice'), approve('dave'), requestChanges('carol', OLD), approve('erin')],
    },
    expected: {
      approved: false,
      currentStage: 1,
      blockedBy: ['carol'],
      stages: [
        { status: 'met' },
        {
          status: 'blocked',
          missing: 0,
          approvedBy: ['dave', 'erin'],
          changesRequestedBy: ['carol'],
        },
      ],
    },
  },
  {
    name: 'changes-requested veto: a later stage blocks while the earlier is pending, earlier stays current',
    input: { reviews: [requestChanges('carol')] },
    expected: { currentStage: 0, stages: [{ status: 'pending' }, { status: 'blocked' }] },
  },
  {
    name: 'changes-requested veto: a blocked stage makes later stages wait',
    input: { reviews: [requestChanges('lena'), approve('carol'), approve('dave')] },
    expected: {
      currentStage: 0,
      stages: [{ status: 'blocked' }, { status: 'waiting', waitingFor: 'lead' }],
    },
  },
  {
    name: 'changes-requested veto lifted by a later approval on the head',
    input: {
      reviews: [approve('alice'), requestChanges('carol'), approve('dave'), approve('carol')],
    },
    expected: { approved: true, blockedBy: [], stages: [{}, { approvedBy: ['dave', 'carol'] }] },
  },
  {
    name: 'changes-requested veto: not from outsiders, bots or the author',
    input: {
      author: 'erin',
      teamMembers: new Map([['acme/ops', ['carol', 'dave', 'erin', 'ci[bot]', 'checker']]]),
      reviews: [
        approve('alice'),
        requestChanges('mallory'),
        requestChanges('ci[bot]'),
        review('checker', 'CHANGES_REQUESTED', HEAD, true),
        requestChanges('erin'),
        approve('dave'),
        approve('carol'),
      ],
    },
    expected: { approved: true, blockedBy: [], stages: [{}, { changesRequestedBy: [] }] },
  },
  // --- a person counts once (invariant 3) ---
  {
    name: 'person in two stages counts once, in the earliest unmet stage',
    input: { stages: twoStagesSharingBob, reviews: [approve('bob')] },
    expected: {
      approved: false,
      currentStage: 1,
      approvers: ['bob'],
      stages: [
        { status: 'met', approvedBy: ['bob'] },
        { status: 'pending', approvedBy: [], eligible: ['carol'] },
      ],
      ignored: [{ user: 'bob', reason: 'already-counted', stage: 'ops' }],
    },
  },
  {
    name: 'person in two stages: no deadlock, they move to the later stage when someone else fills the earlier',
    input: { stages: twoStagesSharingBob, reviews: [approve('bob'), approve('alice')] },
    expected: {
      approved: true,
      approvers: ['alice', 'bob'],
      stages: [{ approvedBy: ['alice'] }, { approvedBy: ['bob'] }],
      ignored: [],
    },
  },
  {
    name: 'person in two stages: the only reviewer of both can never meet the second',
    input: {
      stages: [
        { name: 'lead', reviewers: ['bob'], required: 1 },
        { name: 'ops', reviewers: ['Bob'], required: 1 },
      ],
      reviews: [approve('bob')],
    },
    expected: {
      stages: [
        { status: 'met' },
        {
          status: 'pending',
          unreachable:
            'needs 1 approval, but its reviewers are needed by other stages too and a person counts once',
        },
      ],
    },
  },
  // --- unordered ---
  {
    name: 'unordered stages: each stage is met on its own, nothing waits',
    input: { ordered: false, reviews: [approve('carol'), approve('dave')] },
    expected: {
      approved: false,
      currentStage: 0,
      stages: [{ status: 'pending' }, { status: 'met', approvedBy: ['carol', 'dave'] }],
    },
  },
  {
    name: 'unordered stages: one person still counts once',
    input: {
      ordered: false,
      stages: twoStagesSharingBob,
      reviews: [approve('bob')],
    },
    expected: { approved: false, approvers: ['bob'] },
  },
  // --- unreachable ---
  {
    name: 'empty team: the stage is unreachable and says why',
    input: {
      teamMembers: new Map([
        ['acme/team-leads', ['lena']],
        ['acme/ops', []],
      ]),
    },
    expected: {
      stages: [
        expect.not.objectContaining({ unreachable: expect.anything() }),
        {
          missing: 2,
          eligible: [],
          unreachable:
            'needs 2 approvals but has only 0 eligible reviewers (team acme/ops has no known members)',
        },
      ],
    },
  },
  {
    name: 'unresolved team (absent from the membership map) counts as empty',
    input: { teamMembers: new Map() },
    expected: {
      stages: [
        expect.not.objectContaining({ unreachable: expect.anything() }),
        { unreachable: expect.stringContaining('team acme/ops has no known members') },
      ],
    },
  },
  {
    name: 'unknown teams (not looked up): named as the team in eligible',
    input: { teamMembers: new Map(), unknownTeams: ['acme/team-leads', 'acme/ops'] },
    expected: { stages: [{ eligible: ['alice', 'acme/team-leads'] }, { eligible: ['acme/ops'] }] },
  },
  {
    name: 'an unknown team spelled twice in a stage is named once; a known stage stays unreachable',
    input: {
      stages: [
        { name: 'lead', reviewers: ['acme/ops', 'Acme/Ops'], required: 3 },
        { name: 'sec', reviewers: ['sam'], required: 2 },
      ],
      teamMembers: new Map(),
      unknownTeams: ['ACME/ops'],
    },
    expected: {
      stages: [
        { eligible: ['acme/ops'] },
        { eligible: ['sam'], unreachable: 'needs 2 approvals but has only 1 eligible reviewer' },
      ],
    },
  },
  {
    name: 'required exceeds the eligible members: unreachable, the author excluded',
    input: {
      author: 'carol',
      stages: [STAGES[0]!, { name: 'ops', reviewers: ['acme/ops'], required: 3 }],
    },
    expected: {
      stages: [
        {},
        {
          unreachable:
            'needs 3 approvals but has only 2 eligible reviewers (the author cannot approve)',
        },
      ],
    },
  },
  {
    name: 'required exceeds the members: unreachable even when all approve',
    input: {
      stages: [{ name: 'ops', reviewers: ['acme/ops'], required: 4 }],
      reviews: [approve('carol'), approve('dave'), approve('erin')],
    },
    expected: {
      approved: false,
      stages: [{ missing: 1, unreachable: 'needs 4 approvals but has only 3 eligible reviewers' }],
    },
  },
  {
    name: 'required 0: the stage is met without anyone',
    input: { stages: [{ name: 'none', reviewers: [], required: 0 }] },
    expected: { approved: true, stages: [{ status: 'met', missing: 0 }] },
  },
  {
    name: 'no stages: nothing to approve',
    input: { stages: [] },
    expected: { approved: true, currentStage: null, stages: [] },
  },
  // --- teams and logins ---
  {
    name: 'reviewer who left the team no longer counts',
    input: {
      teamMembers: new Map([['acme/ops', ['carol', 'dave']]]),
      reviews: [approve('alice'), approve('erin'), approve('carol')],
    },
    expected: {
      stages: [{}, { approvedBy: ['carol'], eligible: ['dave'] }],
      ignored: [{ user: 'erin', reason: 'not-a-reviewer' }],
    },
  },
  {
    name: 'team members expansion: a team member approves for the team',
    input: { reviews: [approve('lena')] },
    expected: { stages: [{ status: 'met', approvedBy: ['lena'], eligible: ['alice'] }, {}] },
  },
  {
    name: 'case-insensitive logins: display case kept from the review',
    input: {
      author: 'Dana',
      headSha: HEAD.toUpperCase(),
      stages: [
        { name: 'lead', reviewers: ['@Alice'], required: 1 },
        { name: 'ops', reviewers: ['ACME/Ops'], required: 1 },
      ],
      teamMembers: new Map([['acme/ops', ['Carol', 'dana']]]),
      reviews: [approve('ALICE'), approve('DANA'), comment('carOL')],
    },
    expected: {
      stages: [
        { status: 'met', approvedBy: ['ALICE'] },
        { status: 'pending', eligible: ['carOL'] },
      ],
      ignored: [{ user: 'DANA', reason: 'author' }],
    },
  },
];

describe('evaluateApprovals: vetoes, shared reviewers, unordered stages, teams', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(evaluateApprovals(approvalInput(input))).toMatchObject(expected);
  });

  it('a stage with an unknown team is never called unreachable (its members are not known)', () => {
    const state = evaluateApprovals(
      approvalInput({
        stages: [{ name: 'lead', reviewers: ['acme/ops', 'Acme/Ops'], required: 3 }, STAGES[1]!],
        teamMembers: new Map(),
        unknownTeams: ['ACME/ops'],
      }),
    );
    expect(state.stages.map((stage) => stage.unreachable)).toEqual([undefined, undefined]);
  });
});
