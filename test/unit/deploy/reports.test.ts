// What a deployment script reports and how it is told: @@ markers and step times, exit
// descriptions, the sentences for lock and activation failures; sizes, release ids.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeployConfig } from '../../../src/config/types.js';
import { activateFailure, lockLine } from '../../../src/deploy/deploy-messages.js';
import {
  formatBytes,
  hashFile,
  saveHashed,
  SizeLimitError,
} from '../../../src/deploy/hash-stream.js';
import { isReleaseId, makeReleaseId } from '../../../src/deploy/release-id.js';
import { nextRolloutStep } from '../../../src/deploy/rollout-plan.js';
import {
  exitDescription,
  outputTail,
  parseReport,
  scriptFailure,
} from '../../../src/deploy/script-report.js';
import type { ExecResult } from '../../../src/ssh/types.js';
import { deployConfig } from '../../support/fixtures.js';

const exec = (o: Partial<ExecResult> = {}): ExecResult => ({
  code: 1,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  ...o,
});

const deploy = (o: Partial<DeployConfig> = {}): DeployConfig =>
  deployConfig({ parallel: 1, activate: './bin/restart', ...o });

describe('parseReport', () => {
  it('steps are timed by when their lines arrived; the last ends when the channel closed', () => {
    const report = parseReport(
      {
        stdout: ['noise', '@@step upload', '@@step verify', '@@lock taken', ''].join('\n'),
        lineAt: [10, 20, 270, 300],
        endAt: 420,
      },
      1000,
    );
    expect(report.steps).toEqual([
      { name: 'upload', ms: 250 },
      { name: 'verify', ms: 150 },
    ]);
    expect(report.lastStep).toBe('verify');
    expect(report.markers).toEqual([{ key: 'lock', args: ['taken'] }]);
  });

  it('without arrival times (no session recorded them) the steps share the round trip', () => {
    const untimed = parseReport({ stdout: '@@step a\n@@step b\n@@error it broke here' }, 5000);
    expect(untimed.steps).toEqual([
      { name: 'a', ms: 5000 },
      { name: 'b', ms: 5000 },
    ]);
    expect(untimed.error).toBe('it broke here');
    const partly = parseReport({ stdout: '@@step a\n@@step b\n', lineAt: [0, 2000] }, 5000);
    expect(partly.steps).toEqual([
      { name: 'a', ms: 2000 },
      { name: 'b', ms: 3000 },
    ]);
    const bare = parseReport({ stdout: '@@step\n@@' }, 10);
    expect(bare.steps).toEqual([{ name: '?', ms: 10 }]);
    expect(bare.markers).toEqual([{ key: '', args: [] }]);
  });
});

describe('exit descriptions and failures', () => {
  it('timed out, killed, no status, an exit code', () => {
    expect(exitDescription(exec({ timedOut: true }))).toBe('timed out and was stopped');
    expect(exitDescription(exec({ signal: 'KILL' }))).toBe('was killed by KILL');
    expect(exitDescription(exec({ code: null }))).toBe(
      'ended without an exit status (the connection or the server went away)',
    );
    expect(exitDescription(exec({ code: 3 }))).toBe('exited with code 3');
  });

  it('output tails: empty, short, cut to the last characters', () => {
    expect(outputTail('  \n')).toBe('');
    expect(outputTail(' boom \n')).toBe('output:\nboom');
    expect(outputTail(`${'x'.repeat(20)}END`, 5)).toBe('output (last 5 characters):\n…xxEND');
  });

  it('scriptFailure: the step, the script’s own error or its exit, the output', () => {
    const report = parseReport({ stdout: '@@step unpack' }, 1);
    expect(scriptFailure(report, exec({ code: 2, stderr: 'tar: bad' }), 'deploy')).toBe(
      'unpack: the script exited with code 2\noutput:\ntar: bad',
    );
    expect(scriptFailure(parseReport({ stdout: '@@error disk full' }, 1), exec(), 'deploy')).toBe(
      'deploy: disk full',
    );
    expect(scriptFailure(parseReport({ stdout: '' }, 1), exec(), 'deploy', 'custom')).toBe(
      'custom: the script exited with code 1',
    );
  });
});

describe('lockLine', () => {
  it.each([
    ['', undefined],
    ['@@lock taken', 'lock: taken'],
    ['@@lock reentered', 'lock: re-entered (held by this same deployment: a re-run)'],
    ['@@lock stale abc123 130', 'lock: took over a stale lock of deployment abc123 (130 min old)'],
    ['@@lock odd', undefined],
  ])('%j → %s', (stdout, line) => {
    expect(lockLine(parseReport({ stdout }, 1))).toBe(line);
  });
});

describe('activateFailure', () => {
  const R = 'r-new';
  const fail = (stdout: string, d: Partial<DeployConfig> = {}, e: Partial<ExecResult> = {}) =>
    activateFailure(parseReport({ stdout }, 1), exec(e), deploy(d), R);

  it('before the switch: the switch step failed', () => {
    expect(fail('@@step switch')).toBe('switch: the script exited with code 1');
  });

  it('activate failed, rolled back, activate re-ran there (or failed there too, or there is none)', () => {
    expect(
      fail('@@switched\n@@failed activate 3\n@@rolledback r-old', {}, { stderr: 'oops' }),
    ).toBe(
      'activate: `./bin/restart` exited with 3; rolled back to r-old and activate re-ran there\noutput:\noops',
    );
    expect(
      fail('@@switched\n@@failed activate 3\n@@rolledback r-old\n@@failed rollback-activate 4'),
    ).toBe(
      'activate: `./bin/restart` exited with 3; rolled back to r-old, but activate failed there too (exit 4)',
    );
    expect(
      fail('@@switched\n@@failed activate 3\n@@rolledback r-old', { activate: undefined }),
    ).toBe('activate: `` exited with 3; rolled back to r-old');
  });

  it('a long command is cut in the message', () => {
    const long = `echo ${'x'.repeat(200)}`;
    expect(fail('@@switched\n@@failed activate 1', { activate: long })).toContain(
      `\`${long.slice(0, 117)}…\``,
    );
  });

  it('health failed: attempts, interval, last exit; why current stays on the new release', () => {
    const health = { run: 'curl -f x', retries: 3, interval_s: 2, timeout_s: 10 };
    expect(
      fail('@@switched\n@@health failed 3 7\n@@failed rollback-switch', { health_check: health }),
    ).toBe(
      'health: `curl -f x` failed 3 attempt(s), 2 s apart (last exit code 7); switching back to the previous release failed: current stays on r-new',
    );
    expect(fail('@@switched\n@@health failed 3 7', { rollback_on_failure: false })).toBe(
      'health: `` failed 3 attempt(s), 0 s apart (last exit code 7); rollback_on_failure is off: current stays on r-new',
    );
    expect(fail('@@switched\n@@health failed 1 1\n@@previous')).toMatch(
      /; no previous release to go back to: current stays on r-new$/,
    );
    expect(
      fail('@@switched\n@@health failed 1 1\n@@previous r-old', {}, { timedOut: true }),
    ).toMatch(
      /; the script timed out and was stopped before switching back: current stays on r-new$/,
    );
  });

  it('cut off after the switch with no step marker: the failure is in activation', () => {
    expect(fail('@@step switch\n@@switched')).toBe('activate: the script exited with code 1');
    expect(fail('@@step health\n@@switched')).toBe('health: the script exited with code 1');
  });
});

describe('sizes and hashing', () => {
  it('formatBytes in B, KiB, MiB, GiB (and no bigger unit)', () => {
    expect(formatBytes(10)).toBe('10 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3072.0 GiB');
  });

  it('hashing stops with SizeLimitError past the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dr-hash-'));
    await writeFile(join(dir, 'f'), 'x'.repeat(2000));
    await expect(hashFile(join(dir, 'f'), 1024)).rejects.toThrow(
      new SizeLimitError('the artifact is larger than 1.0 KiB'),
    );
    expect(await hashFile(join(dir, 'f'))).toMatchObject({ size: 2000 });
    await expect(
      saveHashed(Readable.from([Buffer.alloc(2048)]), join(dir, 'g'), 1024),
    ).rejects.toMatchObject({
      name: 'SizeLimitError',
    });
  });
});

describe('release ids', () => {
  it('stamp plus the digest’s first 12 usable characters; a digest without any is a bug', () => {
    const id = makeReleaseId(new Date('2026-11-25T21:05:01.123Z'), 'AB-CD9f86d081884c7d');
    expect(id).toBe('20261125T210501Z-abcd9f86d081');
    expect(isReleaseId(id)).toBe(true);
    expect(isReleaseId('../x')).toBe(false);
    expect(() => makeReleaseId(new Date(), '---')).toThrow(
      'makeReleaseId: the digest has no usable characters',
    );
  });
});

describe('nextRolloutStep', () => {
  it('stops without rollback when nothing was switched; names later batches', () => {
    const step = nextRolloutStep(
      { batches: [['a'], ['b'], ['c']], completed: 1, failed: ['a'], switched: [] },
      { maxFailedServers: 0, rollbackOnFailure: true },
    );
    expect(step).toEqual({
      kind: 'stop',
      reason:
        '1 server(s) failed (a), more than max_failed_servers 0: the rollout stopped; 2 server(s) of later batches were not touched',
      rollback: [],
      untouched: ['b', 'c'],
    });
  });

  it('without failures the next batch runs', () => {
    expect(
      nextRolloutStep(
        { batches: [['a']], completed: 0, failed: [], switched: [] },
        { maxFailedServers: 0, rollbackOnFailure: true },
      ),
    ).toEqual({ kind: 'batch', index: 0, servers: ['a'] });
  });
});
