import { describe, expect, it } from 'vitest';
import { evaluateApprovals, type ApprovalInput } from '../../../src/approval/evaluate-approvals.js';
import {
  HEAD,
  OLD,
  approvalInput,
  approve,
  comment,
  dismissed,
  requestChanges,
  review,
} from './fixtures.js';

interface Case {
  name: string;
  input: Partial<ApprovalInput>;
  expected: Record<string, unknown>;
}

const cases: Case[] = [
  // --- stage order (invariant 3) ---
  {
    name: 'stage order: with no reviews the first stage is pending and later ones wait',
    input: {},
    expected: {
      approved: false,
      currentStage: 0,
      stages: [
        { name: 'lead', status: 'pending', missing: 1, eligible: ['alice', 'lena'] },
        { name: 'ops', status: 'waiting', waitingFor: 'lead', eligible: ['carol', 'dave', 'erin'] },
      ],
    },
  },
  {
    name: 'stage order: later-stage approvals are kept but wait for the earlier stage',
    input: { reviews: [approve('carol'), approve('dave')] },
    expected: {
      approved: false,
      currentStage: 0,
      stages: [
        { status: 'pending', approvedBy: [] },
        { status: 'waiting', approvedBy: ['carol', 'dave'], missing: 0 },
      ],
    },
  },
  {
    name: 'stage order: every stage met on the head approves the request',
    input: { reviews: [approve('carol'), approve('alice'), approve('dave')] },
    expected: {
      approved: true,
      currentStage: null,
      approvers: ['alice', 'carol', 'dave'],
      ignored: [],
      blockedBy: [],
      stages: [{ status: 'met' }, { status: 'met' }],
    },
  },
  // --- N of M ---
  {
    name: 'N of M: 0 of 2',
    input: { reviews: [approve('alice')] },
    expected: { currentStage: 1, stages: [{ status: 'met' }, { status: 'pending', missing: 2 }] },
  },
  {
    name: 'N of M: 1 of 2',
    input: { reviews: [approve('alice'), approve('carol')] },
    expected: {
      stages: [
        { status: 'met', eligible: ['lena'] },
        { status: 'pending', approvedBy: ['carol'], missing: 1, eligible: ['dave', 'erin'] },
      ],
    },
  },
  {
    name: 'N of M: 2 of 2',
    input: { reviews: [approve('alice'), approve('carol'), approve('erin')] },
    expected: { approved: true, stages: [{}, { status: 'met', approvedBy: ['carol', 'erin'] }] },
  },
  {
    name: 'N of M: 3 approvals for required 2 all show, none missing',
    input: { reviews: [approve('alice'), approve('carol'), approve('erin'), approve('dave')] },
    expected: {
      approved: true,
      stages: [{}, { status: 'met', missing: 0, approvedBy: ['carol', 'erin', 'dave'] }],
    },
  },
  // --- who never counts (invariant 2) ---
  {
    name: 'self-approval ignored: the author never counts',
    input: { author: 'carol', reviews: [approve('alice'), approve('carol')] },
    expected: {
      stages: [{}, { approvedBy: [], missing: 2, eligible: ['dave', 'erin'] }],
      ignored: [{ user: 'carol', reason: 'author' }],
    },
  },
  {
    name: 'self-approval counted when allowSelfApproval',
    input: { author: 'carol', allowSelfApproval: true, reviews: [approve('carol')] },
    expected: { stages: [{}, { approvedBy: ['carol'] }], ignored: [] },
  },
  {
    name: 'non-approver ignored',
    input: { reviews: [approve('mallory'), approve('alice')] },
    expected: {
      stages: [{ approvedBy: ['alice'] }, {}],
      ignored: [{ user: 'mallory', reason: 'not-a-reviewer' }],
    },
  },
  {
    name: 'bot ignored: flagged by GitHub, even when listed as a reviewer',
    input: {
      stages: [{ name: 'lead', reviewers: ['helper'], required: 1 }],
      reviews: [review('helper', 'APPROVED', HEAD, true), review('helper', 'APPROVED', HEAD, true)],
    },
    expected: {
      approved: false,
      stages: [{ approvedBy: [], eligible: [] }],
      ignored: [{ user: 'helper', reason: 'bot' }],
    },
  },
  {
    name: 'bot ignored: a login ending in [bot], even when listed as a reviewer',
    input: {
      stages: [{ name: 'lead', reviewers: ['renovate[bot]', 'alice'], required: 1 }],
      reviews: [approve('renovate[bot]')],
    },
    expected: {
      stages: [{ approvedBy: [], eligible: ['alice'] }],
      ignored: [{ user: 'renovate[bot]', reason: 'bot' }],
    },
  },
  {
    name: 'stale after push: an approval of an older commit is shown as stale and not counted',
    input: { reviews: [approve('alice', OLD)] },
    expected: {
      stages: [
        { status: 'pending', approvedBy: [], stale: [{ user: 'alice', commitId: OLD }] },
        {},
      ],
      ignored: [{ user: 'alice', reason: 'stale' }],
    },
  },
  {
    name: 'stale after push: approving the head again counts and supersedes the old one',
    input: { reviews: [approve('alice', OLD), approve('alice')] },
    expected: {
      stages: [{ status: 'met', approvedBy: ['alice'], stale: [] }, {}],
      ignored: [{ user: 'alice', reason: 'superseded' }],
    },
  },
  // --- latest verdict per person ---
  {
    name: 'latest review wins: approve, changes requested, approve counts',
    input: { reviews: [approve('alice'), requestChanges('alice'), approve('alice')] },
    expected: {
      blockedBy: [],
      stages: [{ status: 'met', approvedBy: ['alice'], changesRequestedBy: [] }, {}],
      ignored: [{ user: 'alice', reason: 'superseded' }],
    },
  },
  {
    name: 'latest review wins: approve then changes requested blocks',
    input: { reviews: [approve('alice'), requestChanges('alice')] },
    expected: {
      blockedBy: ['alice'],
      stages: [{ status: 'blocked', approvedBy: [], changesRequestedBy: ['alice'] }, {}],
    },
  },
  {
    name: 'COMMENTED does not supersede APPROVED',
    input: { reviews: [approve('alice'), comment('alice')] },
    expected: { stages: [{ status: 'met', approvedBy: ['alice'] }, {}], ignored: [] },
  },
  {
    name: 'COMMENTED does not lift CHANGES_REQUESTED',
    input: { reviews: [requestChanges('alice'), comment('alice')] },
    expected: { blockedBy: ['alice'] },
  },
  {
    name: 'dismissed review removes the verdict (a dismissed approval does not count)',
    input: { reviews: [dismissed('alice')] },
    expected: { stages: [{ status: 'pending', approvedBy: [] }, {}], ignored: [] },
  },
  {
    name: 'dismissed review removes the earlier verdict too (no block, no approval)',
    input: { reviews: [approve('alice'), dismissed('alice')] },
    expected: {
      blockedBy: [],
      stages: [{ status: 'pending', approvedBy: [] }, {}],
      ignored: [{ user: 'alice', reason: 'superseded' }],
    },
  },
  {
    name: 'dismissed review: a later approval on the head counts again',
    input: { reviews: [dismissed('alice'), approve('alice')] },
    expected: { stages: [{ status: 'met', approvedBy: ['alice'] }, {}] },
  },
  {
    name: 'PENDING (unsubmitted) reviews are not reviews',
    input: { reviews: [approve('alice'), review('alice', 'PENDING')] },
    expected: { stages: [{ status: 'met' }, {}] },
  },
];

describe('evaluateApprovals', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(evaluateApprovals(approvalInput(input))).toMatchObject(expected);
  });

  it('lists each ignored approval once per reason, in submission order', () => {
    const state = evaluateApprovals(
      approvalInput({
        reviews: [
          approve('mallory'),
          approve('alice', OLD),
          approve('mallory'),
          approve('carol', OLD),
          approve('carol', OLD),
        ],
      }),
    );
    expect(state.ignored).toEqual([
      { user: 'mallory', reason: 'not-a-reviewer' },
      { user: 'alice', reason: 'stale' },
      { user: 'carol', reason: 'superseded' },
      { user: 'carol', reason: 'stale' },
    ]);
  });

  it('does not mutate its input', () => {
    const input = approvalInput({ reviews: [approve('alice'), approve('carol')] });
    const copy = structuredClone({ ...input, teamMembers: [...input.teamMembers] });
    evaluateApprovals(input);
    expect({ ...input, teamMembers: [...input.teamMembers] }).toEqual(copy);
  });
});
