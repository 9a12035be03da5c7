import { describe, expect, it } from 'vitest';
import {
  STATUS_DESCRIPTION_LIMIT,
  approvalStatusDescription,
  describeStage,
} from '../../../src/approval/approval-summary.js';
import { evaluateApprovals, type ApprovalInput } from '../../../src/approval/evaluate-approvals.js';
import type { ApprovalStage } from '../../../src/config/types.js';
import { OLD, approvalInput, approve, requestChanges } from './fixtures.js';

const evaluate = (overrides: Partial<ApprovalInput>) => evaluateApprovals(approvalInput(overrides));

describe('describeStage', () => {
  it.each([
    {
      name: 'met',
      input: { reviews: [approve('alice')] },
      stage: 0,
      line: 'lead: 1 of 1 — approved by @alice',
    },
    { name: 'waiting', input: {}, stage: 1, line: 'ops: 0 of 2 — waiting for lead' },
    {
      name: 'waiting with kept approvals',
      input: { reviews: [approve('carol')] },
      stage: 1,
      line: 'ops: 1 of 2 — waiting for lead; approved by @carol',
    },
    { name: 'pending, nobody yet', input: {}, stage: 0, line: 'lead: 0 of 1 — awaiting approval' },
    {
      name: 'approved and stale',
      input: { reviews: [approve('alice'), approve('carol'), approve('dave', OLD)] },
      stage: 1,
      line: 'ops: 1 of 2 — approved by @carol; stale: @dave (abc1234)',
    },
    {
      name: 'blocked',
      input: {
        reviews: [approve('alice'), approve('dave'), approve('erin'), requestChanges('carol')],
      },
      stage: 1,
      line: 'ops: 2 of 2 — changes requested by @carol; approved by @dave, @erin',
    },
    {
      name: 'more approvals than required',
      input: { reviews: [approve('alice'), approve('carol'), approve('dave'), approve('erin')] },
      stage: 1,
      line: 'ops: 2 of 2 — approved by @carol, @dave, @erin',
    },
    {
      name: 'unreachable',
      input: { reviews: [approve('alice')], teamMembers: new Map() },
      stage: 1,
      line: 'ops: 0 of 2 — can never be met: needs 2 approvals but has only 0 eligible reviewers (team acme/ops has no known members)',
    },
  ])('$name', ({ input, stage, line }) => {
    expect(describeStage(evaluate(input).stages[stage]!)).toBe(line);
  });
});

const long = 'x'.repeat(60);
const longStages: ApprovalStage[] = [
  { name: `🚀${long}`, reviewers: [`${long}a`, `${long}b`], required: 1 },
];

describe('approvalStatusDescription', () => {
  it.each([
    {
      name: 'approved',
      input: { reviews: [approve('alice'), approve('carol'), approve('dave')] },
      text: '2 of 2 stages approved',
    },
    { name: 'no stages', input: { stages: [] }, text: 'No approval required' },
    { name: 'first stage, singular', input: {}, text: 'Waiting for lead: 0 of 1 approval' },
    {
      name: 'second stage, plural',
      input: { reviews: [approve('alice'), approve('carol')] },
      text: 'Waiting for ops: 1 of 2 approvals',
    },
    {
      name: 'blocked names who blocks',
      input: { reviews: [requestChanges('carol'), requestChanges('alice')] },
      text: 'Changes requested by @carol, @alice',
    },
    {
      name: 'unreachable says so',
      input: { reviews: [approve('alice')], teamMembers: new Map() },
      text: 'ops can never be met: needs 2 approvals but has only 0 eligible reviewers (team acme/ops has no known members)',
    },
    {
      name: 'unordered: other pending stages are counted',
      input: { ordered: false },
      text: 'Waiting for lead: 0 of 1 approval (+1 more stage)',
    },
    {
      name: 'unordered: several other pending stages',
      input: {
        ordered: false,
        stages: [
          { name: 'a', reviewers: ['alice'], required: 1 },
          { name: 'b', reviewers: ['bob'], required: 1 },
          { name: 'c', reviewers: ['carl'], required: 1 },
        ],
      },
      text: 'Waiting for a: 0 of 1 approval (+2 more stages)',
    },
  ])('$name', ({ input, text }) => {
    expect(approvalStatusDescription(evaluate(input))).toBe(text);
  });

  it('never exceeds the 140-character commit status limit, and cuts on a code point', () => {
    const text = approvalStatusDescription(
      evaluate({
        stages: longStages,
        reviews: [requestChanges(`${long}a`), requestChanges(`${long}b`)],
      }),
    );
    expect(Array.from(text)).toHaveLength(STATUS_DESCRIPTION_LIMIT);
    expect(text.endsWith('...')).toBe(true);

    const unreachable = approvalStatusDescription(
      evaluate({ stages: [{ ...longStages[0]!, required: 3 }] }),
    );
    expect(Array.from(unreachable).length).toBeLessThanOrEqual(STATUS_DESCRIPTION_LIMIT);
    expect(unreachable.startsWith('🚀')).toBe(true);
  });
});
