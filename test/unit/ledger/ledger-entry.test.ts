// The ledger entry's format: what a deployment writes at each stage, the entry a rollback marks
// bad, and reading back entries of any age without trusting a field of the wrong type.
import { describe, expect, it } from 'vitest';
import {
  abandonedEntry,
  entryMeta,
  finishedHeads,
  inProgressEntry,
  parseEntryObject,
} from '../../../src/ledger/ledger-entry.js';
import { releaseMetadata } from '../../support/fixtures.js';

const facts = {
  ...releaseMetadata({ requester: "o'brien", release: '1.0 "beta"' }),
  release_id: '20261125T210001Z-abababababab',
  server: 'web-1',
};

describe('ledger entries as written', () => {
  it('in progress: one line, every field, not finished, not bad', () => {
    const line = inProgressEntry(facts);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      ...facts,
      result: 'in-progress',
      bad: false,
      bad_reason: null,
      finished_at: null,
    });
  });

  it('finished: the server appends its clock (and, failed, the reason) to a head the runner rendered', () => {
    const { deployed, failed } = finishedHeads(facts);
    const at = '2026-11-25T21:00:09Z';
    // What src/remote/deploy-lib.sh _dr_finish_entry and deploy-activate.sh append.
    expect(JSON.parse(`${deployed}"finished_at":"${at}"}`)).toEqual({
      ...facts,
      result: 'deployed',
      bad: false,
      bad_reason: null,
      finished_at: at,
    });
    expect(
      JSON.parse(`${failed}"bad_reason":"failed its health check","finished_at":"${at}"}`),
    ).toEqual({
      ...facts,
      result: 'failed',
      bad: true,
      bad_reason: 'failed its health check',
      finished_at: at,
    });
  });

  it('abandoned by a rollback: every field it had (unknown ones too), now bad with the reason', () => {
    const raw = { ...JSON.parse(inProgressEntry(facts)), extra: [1] };
    const release = { id: facts.release_id, complete: true, raw, bad: false };
    const line = abandonedEntry(release, { id: facts.release_id, server: 'web-1' }, 'rolled back');
    expect(JSON.parse(line)).toEqual({ ...raw, bad: true, bad_reason: 'rolled back' });
  });

  it('abandoned without an entry read: a minimal one names the release and the server', () => {
    const line = abandonedEntry(undefined, { id: 'r1', server: 'web-2' }, 'rolled back by @x (#1)');
    expect(JSON.parse(line)).toEqual({
      release_id: 'r1',
      server: 'web-2',
      bad: true,
      bad_reason: 'rolled back by @x (#1)',
    });
  });
});

describe('ledger entries as read', () => {
  it('an object is read, anything else is not', () => {
    expect(parseEntryObject('{"a":1}')).toEqual({ a: 1 });
    for (const text of ['', '{"a":', '[1]', 'null', '"x"', '3']) {
      expect(parseEntryObject(text)).toBeUndefined();
    }
  });

  it('keeps the fields of the expected type and leaves out the others', () => {
    expect(
      entryMeta({
        application: 'web',
        release: 7,
        pull_request: 12,
        approvers: ['alice', 3, 'bob'],
        finished_at: null,
        result: 'deployed',
        bad: true,
        bad_reason: 'rolled back by @o (#12)',
        server: 'web-1',
        emergency: { reason: 'outage', by: 'dev' },
      }),
    ).toEqual({
      application: 'web',
      pull_request: 12,
      approvers: ['alice', 'bob'],
      finished_at: null,
      result: 'deployed',
      bad: true,
      bad_reason: 'rolled back by @o (#12)',
      server: 'web-1',
      emergency: { reason: 'outage', by: 'dev' },
    });
    expect(
      entryMeta({
        pull_request: '12',
        approvers: 'alice',
        finished_at: 5,
        result: 'maybe',
        bad: 'yes',
        bad_reason: 1,
        emergency: { reason: 'outage' },
      }),
    ).toEqual({});
    expect(entryMeta({ emergency: null })).toEqual({});
    expect(entryMeta({ finished_at: '2026-11-25T21:00:09Z', bad_reason: null })).toEqual({
      finished_at: '2026-11-25T21:00:09Z',
      bad_reason: null,
    });
  });
});
