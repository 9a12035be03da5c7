// The signed records (invariant 11), table-tested: what verifies, what does not, and how far a
// prompt's state has moved. Pure: no GitHub.
import { describe, expect, it } from 'vitest';
import {
  promptDescription,
  promptPayloadOf,
  readPrompt,
  stateDescription,
  visibleDescription,
} from '../../../src/state/deployment-record.js';
import { createStateSigner } from '../../../src/state/state-signer.js';
import { OTHER_SIGNER, promptDeployment, promptPayload, SIGNER, signedHistory } from './records.js';

const SHA = 'a'.repeat(40);
const d = promptDeployment(7, SHA, promptPayload(3));

describe('createStateSigner', () => {
  it('per key and per repository; verification is exact', () => {
    const record = { k: 'x', n: 1 };
    const mac = SIGNER.mac(record);
    expect(mac).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(SIGNER.verify({ n: 1, k: 'x' }, mac)).toBe(true); // canonical: key order is irrelevant
    expect(SIGNER.verify({ k: 'x', n: 2 }, mac)).toBe(false);
    expect(SIGNER.verify(record, mac.slice(1))).toBe(false);
    expect(OTHER_SIGNER.verify(record, mac)).toBe(false);
    const otherRepo = createStateSigner(Buffer.from('test deployment key'), 'acme/other');
    expect(otherRepo.verify(record, mac)).toBe(false);
  });
});

describe('descriptions', () => {
  it('fit GitHub’s 140 characters with the tag; people see the text without it', () => {
    const long = promptDescription(SIGNER, d, promptPayload(3), 'x'.repeat(300));
    expect(long).toHaveLength(140);
    expect(visibleDescription(long)).toBe(`${'x'.repeat(110)}…`);
    const short = stateDescription(SIGNER, 7, 'success', '1/1 servers deployed');
    expect(visibleDescription(short)).toBe('1/1 servers deployed');
  });
});

describe('readPrompt', () => {
  it('a signed queued status opens it; later signed states move it forward only', () => {
    expect(readPrompt(SIGNER, d, signedHistory(d))).toMatchObject({
      record: { deploymentId: 7, pr: 3, state: 'queued', githubState: 'queued' },
    });
    const deployed = signedHistory(d, [
      ['in_progress', '2026-01-01T01:00:00Z'],
      ['success', '2026-01-01T01:05:00Z'],
    ]);
    // A replayed queued status (same signed text, newer) does not reopen it.
    const replayed = [{ ...deployed.at(-1)!, createdAt: '2026-01-01T02:00:00Z' }, ...deployed];
    expect(readPrompt(SIGNER, d, replayed)).toMatchObject({
      record: { state: 'finished', githubState: 'success', since: '2026-01-01T01:05:00Z' },
    });
    expect(
      readPrompt(SIGNER, d, signedHistory(d, [['in_progress', '2026-01-01T01:00:00Z']])),
    ).toMatchObject({ record: { state: 'in_progress', since: '2026-01-01T01:00:00Z' } });
  });

  it.each([
    ['no status at all', d, []],
    ['statuses without our tag', d, [{ state: 'queued', description: 'Waiting', createdAt: '' }]],
    ['signed with another key', d, signedHistory(d, [], { signer: OTHER_SIGNER })],
    // The signature names Deployment 7: a copy (another id) does not verify.
    ['copied to another Deployment', { ...d, id: 8 }, signedHistory(d)],
    [
      'the payload edited (expiry moved later)',
      { ...d, payload: { ...d.payload, expiresAt: '2099-01-01T00:00:00.000Z' } },
      signedHistory(d),
    ],
    ['moved to another commit', { ...d, sha: 'b'.repeat(40) }, signedHistory(d)],
  ] as const)('%s: no prompt', (_name, deployment, statuses) => {
    expect(readPrompt(SIGNER, deployment, [...statuses])).toEqual({
      why: 'no status of it carries a valid deploy-request signature',
    });
  });

  it('a payload that is not a prompt’s is named as such', () => {
    for (const payload of [{}, { pr: '3' }, { ...promptPayload(3), release: 1 }]) {
      expect(readPrompt(SIGNER, { ...d, payload }, signedHistory(d))).toEqual({
        why: 'its payload is not a deploy-request prompt',
      });
    }
  });

  it('later states signed for another Deployment or unsigned are ignored', () => {
    const foreign = signedHistory(promptDeployment(9, SHA, promptPayload(3)), [
      ['success', '2026-01-01T01:00:00Z'],
    ])[0]!;
    const forged = {
      state: 'failure' as const,
      description: 'failed',
      createdAt: '2026-01-01T03:00:00Z',
    };
    expect(readPrompt(SIGNER, d, [foreign, forged, ...signedHistory(d)])).toMatchObject({
      record: { state: 'queued' },
    });
  });
});

describe('rollback prompts', () => {
  const plan = {
    kind: 'rollback' as const,
    rollbackTo: '20261201T100000Z-aaaaaaaaaaaa',
    expected: { 'web-1': '20261202T100000Z-bbbbbbbbbbbb' },
  };
  const r = promptDeployment(11, SHA, promptPayload(3, plan));

  it('carry their plan, signed; a deployment prompt carries none', () => {
    expect(readPrompt(SIGNER, r, signedHistory(r))).toMatchObject({ record: plan });
    const read = readPrompt(SIGNER, d, signedHistory(d));
    expect('record' in read && read.record.kind).toBe(undefined);
    expect(promptPayloadOf(promptPayload(3, plan))).toEqual(promptPayload(3, plan));
    // Stray plan fields on a deployment prompt are not part of it (nor of its signed facts).
    expect(promptPayloadOf({ ...promptPayload(3), rollbackTo: 'x' })).toEqual(promptPayload(3));
  });

  it.each([
    ['the target changed', { ...r.payload, rollbackTo: '20261130T100000Z-cccccccccccc' }],
    ['an expected current changed', { ...r.payload, expected: { 'web-1': 'other' } }],
    // A deployment prompt's signature does not make a rollback plan, nor the other way round.
    ['the kind dropped', { ...promptPayload(3) }],
  ])('%s: no prompt', (_name, payload) => {
    const history = signedHistory(r);
    expect(readPrompt(SIGNER, { ...r, payload }, history)).toEqual({
      why: 'no status of it carries a valid deploy-request signature',
    });
  });

  it.each([
    ['another kind', { kind: 'other' }],
    ['no target', { kind: 'rollback', expected: {} }],
    ['no expected', { kind: 'rollback', rollbackTo: 'x' }],
    ['expected as a list', { kind: 'rollback', rollbackTo: 'x', expected: ['a'] }],
    ['expected with a number', { kind: 'rollback', rollbackTo: 'x', expected: { a: 1 } }],
  ])('%s: not a prompt', (_name, extra) => {
    const payload = { ...promptPayload(3), ...extra };
    expect(readPrompt(SIGNER, { ...r, payload }, signedHistory(r))).toEqual({
      why: 'its payload is not a deploy-request prompt',
    });
  });
});

describe('require_checks facts in a prompt', () => {
  const checks = { commit: 'b'.repeat(40), states: { build: 'success', test: 'success' } };
  const c = promptDeployment(12, SHA, promptPayload(3, { checks }));

  it('are carried and signed; a prompt without them has none', () => {
    expect(readPrompt(SIGNER, c, signedHistory(c))).toMatchObject({ record: { checks } });
    expect(promptPayloadOf(promptPayload(3, { checks }))).toEqual(promptPayload(3, { checks }));
    const read = readPrompt(SIGNER, d, signedHistory(d));
    expect('record' in read && read.record.checks).toBe(undefined);
    // Changed after signing: not our prompt.
    const forged = { ...c.payload, checks: { ...checks, states: { build: 'success' } } };
    expect(readPrompt(SIGNER, { ...c, payload: forged }, signedHistory(c))).toEqual({
      why: 'no status of it carries a valid deploy-request signature',
    });
  });

  it.each([
    ['not an object', 'x'],
    ['no commit', { states: {} }],
    ['states missing', { commit: 'b' }],
    ['states as a list', { commit: 'b', states: ['success'] }],
    ['a state that is not text', { commit: 'b', states: { build: 1 } }],
  ])('malformed (%s): dropped, so the signature no longer matches', (_name, bad) => {
    const payload = { ...c.payload, checks: bad };
    expect(readPrompt(SIGNER, { ...c, payload }, signedHistory(c))).toEqual({
      why: 'no status of it carries a valid deploy-request signature',
    });
  });
});
