import { describe, expect, it } from 'vitest';
import { decideConfirm, type ConfirmFacts } from '../../../src/confirm/decide-confirm.js';
import { digestMatches, requestDigest } from '../../../src/confirm/digest.js';

const DIGEST = 'a'.repeat(20) + 'b'.repeat(44);
const base: ConfirmFacts = {
  commenter: 'dev',
  requesters: ['dev', 'carol'],
  typedDigest: DIGEST.slice(0, 16),
  currentDigest: DIGEST,
  prompt: { deploymentId: 7, digest: DIGEST, expiresAt: '2026-11-26T12:00:00Z', state: 'queued' },
  now: new Date('2026-11-25T12:00:00Z'),
  prefix: '/',
};

describe('decideConfirm (invariant 4)', () => {
  const cases: Array<[string, Partial<ConfirmFacts>, RegExp | null]> = [
    ['the requester with the right digest deploys', {}, null],
    ['a named requester may confirm too', { commenter: 'Carol' }, null],
    ['the full digest works as well as a prefix', { typedDigest: DIGEST }, null],
    ['anyone else is refused', { commenter: 'mallory' }, /only the requester \(@dev, @carol\)/],
    ['a missing digest is refused', { typedDigest: '' }, /give the digest/],
    [
      'a digest shorter than 12 characters is refused',
      { typedDigest: DIGEST.slice(0, 11) },
      /at least 12/,
    ],
    ['a non-hex digest is refused', { typedDigest: 'zzzzzzzzzzzzzzzz' }, /give the digest/],
    [
      'a request that no longer verifies is refused',
      { verificationFailure: 'approvals lost.' },
      /approvals lost/,
    ],
    [
      'no prompt for the head (new push) is refused',
      { prompt: undefined },
      /no confirmation prompt for the current head/,
    ],
    [
      'a deployment in progress is refused',
      { prompt: { ...base.prompt!, state: 'in_progress' } },
      /already in progress/,
    ],
    [
      'a deployed prompt is refused (never twice)',
      { prompt: { ...base.prompt!, state: 'success' } },
      /already been deployed/,
    ],
    [
      'a cancelled prompt is refused',
      { prompt: { ...base.prompt!, state: 'inactive' } },
      /no longer open.*inactive/,
    ],
    [
      'an expired prompt is refused',
      { now: new Date('2026-11-27T00:00:00Z') },
      /expired at 2026-11-26T12:00:00Z/,
    ],
    ['a digest from an older prompt is refused', { typedDigest: 'c'.repeat(16) }, /does not match/],
    [
      'a config change since the prompt (same head) is refused: comment /recheck',
      { currentDigest: 'd'.repeat(64) },
      /the configuration changed since the prompt.*Comment `\/recheck`/,
    ],
    [
      'a policy fact that changed since the prompt is named instead (require_checks)',
      {
        currentDigest: 'd'.repeat(64),
        digestChange:
          'the checks on abc1234 changed since the prompt (test was success, is now failure).',
      },
      /^the checks on abc1234 changed since the prompt \(test was success, is now failure\)\. Nothing was deployed\. Comment `\/recheck` for a new prompt once that is resolved\.$/,
    ],
    [
      'a known policy change says nothing while the digests agree',
      { digestChange: 'the checks on abc1234 changed since the prompt.' },
      null,
    ],
  ];
  for (const [name, change, refusal] of cases) {
    it(name, () => {
      const decision = decideConfirm({ ...base, ...change });
      if (refusal === null)
        expect(decision).toEqual({ ok: true, prompt: { ...base.prompt!, ...change.prompt } });
      else expect(decision.ok ? 'ok' : decision.reason).toMatch(refusal);
    });
  }

  it('marks expiry so the caller can withdraw the prompt', () => {
    const decision = decideConfirm({ ...base, now: new Date('2027-01-01T00:00:00Z') });
    expect(decision).toMatchObject({ ok: false, expired: true });
  });
});

describe('digest', () => {
  it('binds request, environment config, head SHA and the config’s blob SHA', () => {
    const request = {
      version: 1,
      application: 'web',
      environment: 's',
      release: '1',
      artifact: { path: 'a.tgz', sha256: 'a'.repeat(64) },
      reason: 'r',
    } as const;
    const env = { deploy: { path: '/srv' } } as never;
    const d = requestDigest(request, env, 'A'.repeat(40), 'C'.repeat(40));
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(requestDigest(request, env, 'a'.repeat(40), 'c'.repeat(40))).toBe(d);
    expect(
      requestDigest({ ...request, release: '2' }, env, 'a'.repeat(40), 'c'.repeat(40)),
    ).not.toBe(d);
    expect(
      requestDigest(request, { deploy: { path: '/opt' } } as never, 'a'.repeat(40), 'c'.repeat(40)),
    ).not.toBe(d);
    expect(requestDigest(request, env, 'b'.repeat(40), 'c'.repeat(40))).not.toBe(d);
    // The same environment from an edited file (another environment, a comment): a new digest.
    expect(requestDigest(request, env, 'a'.repeat(40), 'd'.repeat(40))).not.toBe(d);
  });

  it('binds the artifact bytes: another sha256 is another digest, for every kind (SPEC §4.12)', () => {
    const env = { deploy: { path: '/srv' } } as never;
    const base = {
      version: 1,
      application: 'web',
      environment: 's',
      release: '1',
      reason: 'r',
    } as const;
    const kinds = [
      { url: 'https://example.com/a.tgz' },
      { release_asset: { tag: 'v1', name: 'a.tgz' } },
      { path: 'a.tgz' },
    ];
    for (const kind of kinds) {
      const digest = (sha256: string) =>
        requestDigest(
          { ...base, artifact: { ...kind, sha256 } as never },
          env,
          'a'.repeat(40),
          'c'.repeat(40),
        );
      expect(digest('a'.repeat(64))).not.toBe(digest('b'.repeat(64)));
      expect(digest('a'.repeat(64))).toBe(digest('a'.repeat(64)));
    }
  });
  it('matches prefixes of at least 12 lowercase hex characters only', () => {
    expect(digestMatches(DIGEST.slice(0, 12), DIGEST)).toBe(true);
    expect(digestMatches(DIGEST.slice(0, 12).toUpperCase(), DIGEST)).toBe(true);
    expect(digestMatches(DIGEST.slice(0, 11), DIGEST)).toBe(false);
    expect(digestMatches('b'.repeat(12), DIGEST)).toBe(false);
  });
});
