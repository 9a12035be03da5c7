// Builders shared by the approval tests: reviews in submission order and a two-stage config.
import type { ApprovalStage } from '../../../src/config/types.js';
import type { Review } from '../../../src/github/port.js';
import type { ApprovalInput } from '../../../src/approval/evaluate-approvals.js';

export const HEAD = 'c0ffee0000000000000000000000000000000002';
export const OLD = 'abc1234000000000000000000000000000000001';

let nextId = 1;

export function review(
  user: string,
  state: Review['state'],
  commitId = HEAD,
  userIsBot = false,
): Review {
  const id = nextId++;
  return { id, user, userIsBot, state, commitId, submittedAt: new Date(id * 1000).toISOString() };
}

export const approve = (user: string, commitId = HEAD): Review =>
  review(user, 'APPROVED', commitId);
export const requestChanges = (user: string, commitId = HEAD): Review =>
  review(user, 'CHANGES_REQUESTED', commitId);
export const comment = (user: string): Review => review(user, 'COMMENTED');
export const dismissed = (user: string): Review => review(user, 'DISMISSED');

/** lead: alice or a team lead (1); then ops: two of acme/ops. */
export const STAGES: ApprovalStage[] = [
  { name: 'lead', reviewers: ['alice', 'acme/team-leads'], required: 1 },
  { name: 'ops', reviewers: ['acme/ops'], required: 2 },
];

export const TEAMS = new Map<string, string[]>([
  ['acme/team-leads', ['lena']],
  ['acme/ops', ['carol', 'dave', 'erin']],
]);

export function approvalInput(overrides: Partial<ApprovalInput> = {}): ApprovalInput {
  return {
    author: 'dana',
    headSha: HEAD,
    reviews: [],
    stages: STAGES,
    ordered: true,
    allowSelfApproval: false,
    teamMembers: TEAMS,
    ...overrides,
  };
}
