// What src/remote/ledger-read.sh prints, turned into a server's ledger: current, releases newest
// first (older and broken entries still listed), the remote lock, and a read that failed.
import { describe, expect, it } from 'vitest';
import { parseLedgerOutput } from '../../../src/ledger/ledger-output.js';
import type { ExecResult } from '../../../src/ssh/types.js';

const OLD = '20261120T100000Z-aaaaaaaaaaaa';
const MID = '20261121T100000Z-bbbbbbbbbbbb';
const NEW = '20261122T100000Z-cccccccccccc';

function exec(stdout: string, o: Partial<ExecResult> = {}): ExecResult {
  return { code: 0, signal: null, stdout, stderr: '', timedOut: false, ...o };
}

describe('parseLedgerOutput', () => {
  it('lists every release newest first: current, old pretty-printed, bad, garbled and partial ones', () => {
    const bad = JSON.stringify({ release: '2.0', bad: true, bad_reason: 'rolled back by @o (#3)' });
    const ledger = parseLedgerOutput(
      'web-1',
      exec(
        [
          `@@current ${MID}`,
          `@@release ${OLD} 1 {   "application": "web",   "release": "1.0",   "pull_request": 2 }`,
          `@@release ${NEW} 1 ${bad}`,
          `@@release ${MID} 1 {"release": "1.5", "note": "two  spaces"`,
          '@@release 20261123T000000Z-dddddddddddd 0 ',
          '@@release  1 {}',
          '@@locked 0123456789abcdef 1764064800',
          '@@done',
        ].join('\n'),
      ),
    );
    expect(ledger).toEqual({
      server: 'web-1',
      ok: true,
      current: MID,
      releases: [
        { id: '20261123T000000Z-dddddddddddd', complete: false, bad: false },
        {
          id: NEW,
          complete: true,
          bad: true,
          badReason: 'rolled back by @o (#3)',
          meta: { release: '2.0', bad: true, bad_reason: 'rolled back by @o (#3)' },
          raw: JSON.parse(bad),
        },
        // Garbled: listed, but neither complete nor described.
        { id: MID, complete: false, bad: false },
        {
          id: OLD,
          complete: true,
          bad: false,
          meta: { application: 'web', release: '1.0', pull_request: 2 },
          raw: { application: 'web', release: '1.0', pull_request: 2 },
        },
      ],
      remoteLock: { digest: '0123456789abcdef', since: '2025-11-25T10:00:00.000Z' },
    });
  });

  it('no deploy path, or no current and no lock: empty, not an error', () => {
    expect(parseLedgerOutput('web-1', exec('@@current\n@@done\n'))).toEqual({
      server: 'web-1',
      ok: true,
      current: null,
      releases: [],
    });
  });

  it('a lock file without a time keeps the holder, with no since', () => {
    const ledger = parseLedgerOutput('web-1', exec('@@current\n@@locked unknown 0\n@@done\n'));
    expect(ledger).toMatchObject({ remoteLock: { digest: 'unknown', since: '' } });
  });

  it('a read the server refused, or that was cut off, says why', () => {
    expect(
      parseLedgerOutput(
        'web-1',
        exec('@@error /srv/app/current exists and is not a symlink; move it away\n', { code: 1 }),
      ),
    ).toEqual({
      server: 'web-1',
      ok: false,
      error:
        'reading the release ledger: /srv/app/current exists and is not a symlink; move it away',
    });
    const cut = parseLedgerOutput('web-2', exec('@@current x\n', { code: null, stderr: 'boom' }));
    expect(cut).toEqual({
      server: 'web-2',
      ok: false,
      error:
        'reading the release ledger: the script ended without an exit status (the connection or the server went away)\noutput:\nboom',
    });
  });
});
