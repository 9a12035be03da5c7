// Break-glass decisions, table-tested: which stages a request answers to, what it may skip, and
// when the last emergency deployment's review is overdue.
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../../src/config/types.js';
import {
  approvalFor,
  emergencySkips,
  dueReviews,
  type EmergencySwitch,
} from '../../../src/policy/emergency-policy.js';

const SWITCH: EmergencySwitch = {
  pr: 1,
  environment: 'production',
  reason: 'outage',
  by: 'dev',
  at: '2026-03-01T03:00:00Z',
};
const stages = [{ name: 'qa', reviewers: ['qa1'], required: 1 }];
function env(mayskip: ('windows' | 'stages')[] | undefined): EnvironmentConfig {
  return {
    approval: { stages, ordered: true },
    ...(mayskip
      ? {
          emergency: {
            approvers: ['acme/oncall'],
            required: 2,
            may_skip: mayskip,
            review: { reviewers: ['acme/leads'], within_hours: 24 },
          },
        }
      : {}),
  } as unknown as EnvironmentConfig;
}
const oncall = { name: 'emergency', reviewers: ['acme/oncall'], required: 2 };

describe('approvalFor', () => {
  it.each([
    ['no switch', env(['stages']), undefined, { stages, ordered: true }],
    ['no policy', env(undefined), SWITCH, { stages, ordered: true }],
    [
      'may skip stages: on-call only',
      env(['stages']),
      SWITCH,
      { stages: [oncall], ordered: false },
    ],
    [
      'may not skip: on-call last',
      env(['windows']),
      SWITCH,
      { stages: [...stages, oncall], ordered: true },
    ],
  ])('%s', (_name, environment, sw, want) => {
    expect(approvalFor(environment, sw)).toEqual(want);
  });
});

describe('emergencySkips', () => {
  it.each([
    [['windows'], SWITCH, 'windows', true],
    [['windows'], SWITCH, 'stages', false],
    [['windows'], undefined, 'windows', false],
    [undefined, SWITCH, 'windows', false],
  ] as const)('may_skip %j, switched %#: %s → %s', (skip, sw, gate, want) => {
    expect(emergencySkips(env(skip as never), sw, gate)).toBe(want);
  });
});

describe('dueReviews', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  it.each([
    ['none', [], []],
    ['within the hours', [{ issue: 2, at: '2026-03-02T00:00:00Z', closed: false }], []],
    ['exactly due', [{ issue: 3, at: '2026-03-01T12:00:00Z', closed: false }], [3]],
    [
      'due ones oldest first, closed ones too (who closed them decides)',
      [
        { issue: 5, at: '2026-03-01T00:00:00Z', closed: false },
        { issue: 4, at: '2026-02-28T00:00:00Z', closed: true },
        { issue: 6, at: '2026-03-02T11:00:00Z', closed: false },
      ],
      [4, 5],
    ],
  ])('%s', (_name, reviews, issues) => {
    expect(dueReviews(reviews, 24, now).map((r) => r.issue)).toEqual(issues);
  });
});
