// decideConfirm's edges: the digest must be all hex and at least 12 characters, the prompt
// expires strictly after its time, the mismatch message shows 16 characters of the digest.
import { describe, expect, it } from 'vitest';
import { decideConfirm, type ConfirmFacts } from '../../../src/confirm/decide-confirm.js';
import { rollbackDigest } from '../../../src/confirm/digest.js';

const DIGEST = '0123456789abcdef'.repeat(4);
const facts = (o: Partial<ConfirmFacts> = {}): ConfirmFacts => ({
  commenter: 'dev',
  requesters: ['dev'],
  typedDigest: DIGEST.slice(0, 12),
  currentDigest: DIGEST,
  prompt: {
    deploymentId: 1,
    digest: DIGEST,
    expiresAt: '2026-01-01T12:00:00.000Z',
    state: 'queued',
  },
  now: new Date('2026-01-01T11:00:00.000Z'),
  prefix: '/',
  ...o,
});

const reason = (d: ReturnType<typeof decideConfirm>) => (d.ok ? 'ok' : d.reason);

describe('decideConfirm edges', () => {
  it('exactly 12 hex characters are enough; 11 are not', () => {
    expect(decideConfirm(facts()).ok).toBe(true);
    expect(reason(decideConfirm(facts({ typedDigest: DIGEST.slice(0, 11) })))).toMatch(
      /^give the digest/,
    );
  });

  it('anything but hex before or after the digest is refused as not a digest', () => {
    expect(reason(decideConfirm(facts({ typedDigest: `g${DIGEST.slice(0, 12)}` })))).toMatch(
      /^give the digest/,
    );
    expect(reason(decideConfirm(facts({ typedDigest: `${DIGEST.slice(0, 12)}g` })))).toMatch(
      /^give the digest/,
    );
  });

  it('at the expiry instant the prompt still holds; a millisecond later it has expired', () => {
    expect(decideConfirm(facts({ now: new Date('2026-01-01T12:00:00.000Z') })).ok).toBe(true);
    expect(decideConfirm(facts({ now: new Date('2026-01-01T12:00:00.001Z') }))).toMatchObject({
      ok: false,
      expired: true,
    });
  });

  it('a digest from another prompt: the message shows the current one’s first 16 characters', () => {
    expect(reason(decideConfirm(facts({ typedDigest: 'f'.repeat(16) })))).toBe(
      'the digest does not match the current confirmation prompt (`0123456789abcdef`); it may be from an older prompt.',
    );
  });

  it('a prompt in an unknown state says so', () => {
    const prompt = { deploymentId: 1, digest: DIGEST, expiresAt: '', state: null };
    expect(reason(decideConfirm(facts({ prompt })))).toBe(
      'the confirmation prompt is no longer open (its deployment is unknown). Comment `/recheck` for a new one.',
    );
  });
});

describe('rollbackDigest', () => {
  const facts = {
    environment: 'staging',
    target: '20261201T100000Z-aaaaaaaaaaaa',
    expected: {
      'web-1': '20261202T100000Z-bbbbbbbbbbbb',
      'web-2': '20261202T100000Z-bbbbbbbbbbbb',
    },
    configSha: 'C'.repeat(40),
    headSha: 'A'.repeat(40),
  };
  it('binds the environment, target, every expected current, config and head', () => {
    const d = rollbackDigest(facts);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(rollbackDigest({ ...facts, headSha: 'a'.repeat(40), configSha: 'c'.repeat(40) })).toBe(
      d,
    );
    for (const change of [
      { environment: 'production' },
      { target: '20261130T100000Z-cccccccccccc' },
      { expected: { ...facts.expected, 'web-2': 'other' } },
      { configSha: 'd'.repeat(40) },
      { headSha: 'b'.repeat(40) },
    ])
      expect(rollbackDigest({ ...facts, ...change })).not.toBe(d);
  });
});

describe('decideConfirm for a rollback plan', () => {
  it('names /rollback as the way to a new plan', () => {
    const digest = 'a'.repeat(64);
    const got = decideConfirm({
      commenter: 'olga',
      requesters: ['olga'],
      typedDigest: digest,
      currentDigest: digest,
      prompt: { deploymentId: 1, digest, expiresAt: '2026-01-01T00:00:00Z', state: 'queued' },
      now: new Date('2026-02-01T00:00:00Z'),
      prefix: '/',
      renew: '/rollback',
    });
    expect(got).toMatchObject({
      ok: false,
      expired: true,
      reason: expect.stringMatching(/Comment `\/rollback` for a new one/),
    });
  });
});
