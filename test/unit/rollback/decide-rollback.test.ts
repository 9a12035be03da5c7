// Who may roll back and when a rollback may be offered, table-tested (issue 15).
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../../src/config/types.js';
import {
  decideRollbackStart,
  unverifiedReason,
  type RollbackStartFacts,
} from '../../../src/rollback/decide-rollback.js';
import { isListed, teamsDeciding } from '../../../src/approval/listed-people.js';
import { plainText } from '../../../src/report/markdown.js';
import { notAllowedReason, rollbackAllowed } from '../../../src/rollback/rollback-allowed.js';

const stages = [
  { name: 'lead', reviewers: ['alice', '@Alice'], required: 1 },
  { name: 'ops', reviewers: ['acme/ops', 'bob'], required: 2 },
];
const env = (allowed?: string[]) =>
  ({ approval: { stages, ordered: true }, rollback: { allowed } }) as unknown as EnvironmentConfig;
const TEAMS = new Map([['ACME/Ops', ['olga', 'Oscar']]]);

describe('rollbackAllowed', () => {
  it('defaults to every stage’s reviewers, each once', () => {
    expect(rollbackAllowed(env())).toEqual({
      entries: ['alice', 'acme/ops', 'bob'],
      configured: false,
    });
  });
  it('rollback.allowed replaces them (an empty list allows nobody)', () => {
    expect(rollbackAllowed(env(['oncall/sre', 'carol']))).toEqual({
      entries: ['oncall/sre', 'carol'],
      configured: true,
    });
    expect(isListed(rollbackAllowed(env([])).entries, 'alice', TEAMS)).toBe(false);
    expect(notAllowedReason(rollbackAllowed(env([])), 'alice')).toMatch(
      /only nobody may \(`rollback.allowed`/,
    );
  });

  const cases: Array<[string, string, boolean]> = [
    ['a listed login, any case', 'ALICE', true],
    ['a member of a listed team', 'oscar', true],
    ['someone else', 'mallory', false],
  ];
  it.each(cases)('%s', (_name, who, want) => {
    expect(isListed(rollbackAllowed(env()).entries, who, TEAMS)).toBe(want);
  });

  it('a team with no members read lets nobody in through it', () => {
    expect(isListed(rollbackAllowed(env()).entries, 'oscar', new Map())).toBe(false);
  });

  it('teams are looked up only for someone not listed by name', () => {
    expect(teamsDeciding(rollbackAllowed(env()).entries, 'bob')).toEqual([]);
    expect(teamsDeciding(rollbackAllowed(env()).entries, 'olga')).toEqual(['acme/ops']);
  });

  it('the refusal names who may', () => {
    expect(notAllowedReason(rollbackAllowed(env()), 'mallory')).toBe(
      '@mallory may not roll back this environment; only @alice, `acme/ops`, @bob may (the approvers of every stage (no `rollback.allowed` is configured)).',
    );
  });
});

describe('decideRollbackStart', () => {
  const base: RollbackStartFacts = { environment: 'staging', prefix: '/', deployed: true };
  const hold = {
    environment: 'staging',
    holder: 'olga',
    reason: 'db migration',
    since: '2026-12-01T10:00:00Z',
  };
  const cases: Array<[string, Partial<RollbackStartFacts>, RegExp | null]> = [
    ['everything holds', {}, null],
    ['not allowed', { notAllowed: '@x may not roll back' }, /@x may not roll back/],
    ['never deployed', { deployed: false }, /has not deployed to `staging`/],
    [
      'a deployment runs',
      { lockHolder: 'pull request #4' },
      /a deployment is running on `staging` \(the lock is held by pull request #4\)/,
    ],
    [
      'a hold stands',
      { hold },
      /held by @olga since 2026-12-01T10:00:00Z \(reason: db migration, .*\); an operator can `\/unlock staging`/,
    ],
    [
      'a hold with an end',
      { hold: { ...hold, expiresAt: '2026-12-01T12:00:00Z' } },
      /until 2026-12-01T12:00:00Z/,
    ],
  ];
  it.each(cases)('%s', (_name, facts, want) => {
    const got = decideRollbackStart({ ...base, ...facts });
    if (want === null) expect(got).toEqual({ ok: true });
    else expect(got.ok ? '' : plainText(got.reason)).toMatch(want);
  });
});

it('a request that no longer verifies says why', () => {
  expect(unverifiedReason('Pull request #3 is closed.')).toBe(
    'the request of this pull request no longer verifies: Pull request #3 is closed.',
  );
});
