// switchServer and revertServer on a real sshd server: a rollback switches `current` to a release
// already there, activates and checks it, and marks the release it left bad; a failing target is
// switched back with nothing else moved; a plan overtaken by events is refused before any switch.
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  revertServer,
  switchServer,
  type SwitchInput,
} from '../../../src/deploy/switch-release.js';
import { abandonedEntry } from '../../../src/ledger/ledger-entry.js';
import { readLedger } from '../../../src/ledger/read-ledgers.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import {
  activations,
  collectLog,
  deployConfig,
  deployReleases,
  digestFor,
  LOG_ACTIVATION,
  remote,
  run,
} from './support.js';

let fleet: SshServers;
let server: TestServer;
let session: ServerSession;

beforeAll(async () => {
  fleet = await startSshServers(1, { namePrefix: 'sw' });
  server = fleet.servers[0]!;
  const connector = createSshConnector({ privateKey: fleet.clientKey.privateKey, servers: [] });
  session = await connector.connect(server.serverConfig());
});
afterAll(async () => {
  await session?.close();
  await fleet?.stop();
});

/** activate logs itself and fails in the release named in ~/fail-activate; health fails while ~/sick exists. */
function deployFor(deployPath: string) {
  return deployConfig({
    path: deployPath,
    activate: `${LOG_ACTIVATION}; [ "$(basename "$RELEASE_DIR")" != "$(cat "$HOME/fail-activate" 2>/dev/null)" ]`,
    health_check: { run: 'test ! -f "$HOME/sick"', retries: 2, interval_s: 0, timeout_s: 10 },
  });
}

/** Releases A and B on the server at `deployPath` (current B), and the input rolling back to A. */
async function twoReleases(
  deployPath: string,
): Promise<{ a: string; b: string; input: SwitchInput }> {
  const deploy = deployFor(deployPath);
  const [a = '', b = ''] = await deployReleases(session, deploy, ['A', 'B']);
  await run('rm', ['-f', `${server.home}/activations.log`]);
  const ledger = await readLedger(session, deployPath);
  if (!ledger.ok) throw new Error(ledger.error);
  const left = ledger.releases.find((r) => r.id === b);
  const reason = 'rolled back by @olga (#7)';
  const input: SwitchInput = {
    deploy,
    digest: digestFor(`rollback ${deployPath}`),
    targetId: a,
    expectedCurrent: b,
    abandonedMeta: abandonedEntry(left, { id: b, server: server.name }, reason),
    env: { ENVIRONMENT: 'staging', RELEASE: 'A' },
  };
  return { a, b, input };
}

const entryOf = async (deployPath: string, id: string) =>
  JSON.parse(await remote(server.home, deployPath).read(`releases/${id}/.deploy-request.json`));

describe('switchServer', () => {
  it('switches to the target, activates and checks it, marks the release it left bad; revertServer undoes it all', async () => {
    const { a, b, input } = await twoReleases('sw-ok');
    const files = remote(server.home, 'sw-ok');
    const before = await files.read(`releases/${b}/.deploy-request.json`);
    const log = collectLog();
    const result = await switchServer(session, { ...input, log });
    expect(result).toMatchObject({
      server: 'sw-1',
      ok: true,
      switched: true,
      switchedBack: false,
      health: 'passed',
      markedBad: true,
    });
    expect(result.steps.map((s) => s.name)).toEqual([
      'lock',
      'check',
      'switch',
      'activate',
      'health',
      'metadata',
    ]);
    expect(await files.current()).toBe(`releases/${a}`);
    expect(await activations(server.home)).toEqual([a]);
    expect(await entryOf('sw-ok', b)).toEqual({
      ...JSON.parse(before),
      bad: true,
      bad_reason: 'rolled back by @olga (#7)',
    });
    expect(await entryOf('sw-ok', a)).toMatchObject({ result: 'deployed', bad: false });
    expect(await files.entries()).not.toContain('.deploy-request.lock');
    expect(log.lines).toEqual(
      expect.arrayContaining([
        `switched: current -> releases/${a} (was ${b})`,
        `marked bad: releases/${b}`,
      ]),
    );

    // The revert: back to B, activate there, B's entry as it was; a second one changes nothing.
    const back = await revertServer(session, input);
    expect(back).toMatchObject({ ok: true, rolledBack: true });
    expect(await files.current()).toBe(`releases/${b}`);
    expect(await files.read(`releases/${b}/.deploy-request.json`)).toBe(before);
    expect(await files.releases()).toEqual([a, b]);
    expect(
      await run('ls', ['-A', `${files.base}/releases/${b}`]).then((r) => r.stdout),
    ).not.toMatch(/before-/);
    const again = await revertServer(session, input);
    expect(again).toMatchObject({ ok: true, rolledBack: false });
    expect(await activations(server.home)).toEqual([a, `${b} <- ${a}`]);
  });

  it('a target that fails its health check is switched back, activated there and marked bad; nothing else moves', async () => {
    const { a, b, input } = await twoReleases('sw-sick');
    const before = await remote(server.home, 'sw-sick').read(`releases/${b}/.deploy-request.json`);
    await writeFile(path.join(server.home, 'sick'), '');
    try {
      const result = await switchServer(session, input);
      expect(result).toMatchObject({
        ok: false,
        switched: true,
        switchedBack: true,
        health: 'failed',
        markedBad: false,
      });
      expect(result.error).toBe(
        `the health check failed 2 attempt(s) on ${a} (last exit code 1); switched back to ${b}`,
      );
    } finally {
      await rm(path.join(server.home, 'sick'));
    }
    const files = remote(server.home, 'sw-sick');
    expect(await files.current()).toBe(`releases/${b}`);
    expect(await files.read(`releases/${b}/.deploy-request.json`)).toBe(before);
    // The target that failed here is marked, as a failed deployment would be.
    expect(await entryOf('sw-sick', a)).toMatchObject({
      result: 'deployed',
      bad: true,
      bad_reason: 'failed its health check in a rollback',
    });
    expect(await activations(server.home)).toEqual([a, `${b} <- ${a}`]);
    expect(await files.entries()).not.toContain('.deploy-request.lock');
  });

  it('activate failing in the target, and again on the way back, is said as it happened', async () => {
    const { a, b, input } = await twoReleases('sw-activate');
    await writeFile(path.join(server.home, 'fail-activate'), a);
    const first = await switchServer(session, input).finally(() =>
      rm(path.join(server.home, 'fail-activate')),
    );
    expect(first.error).toBe(`activate exited with 1 in ${a}; switched back to ${b}`);
    expect(await entryOf('sw-activate', a)).toMatchObject({
      bad: true,
      bad_reason: 'activate failed in a rollback',
    });
    expect(first).toMatchObject({ switched: true, switchedBack: true, health: 'skipped' });

    // Both releases refuse to activate: current is back on B all the same.
    await writeFile(path.join(server.home, 'fail-activate'), '');
    const both = await switchServer(session, {
      ...input,
      deploy: { ...input.deploy, activate: `${LOG_ACTIVATION}; exit 4` },
    }).finally(() => rm(path.join(server.home, 'fail-activate')));
    expect(both.error).toBe(
      `activate exited with 4 in ${a}; switched back to ${b}, but activate failed there too (exit 4)`,
    );
    expect(await remote(server.home, 'sw-activate').current()).toBe(`releases/${b}`);
  });

  it('refuses before switching: current moved since the plan, the target gone or incomplete, the lock held', async () => {
    const { a, b, input } = await twoReleases('sw-refuse');
    const files = remote(server.home, 'sw-refuse');
    const moved = await switchServer(session, { ...input, targetId: b, expectedCurrent: a });
    expect(moved).toMatchObject({ ok: false, switched: false, switchedBack: false });
    expect(moved.error).toBe(
      `check: current points to ${b}, not to ${a} as when the rollback was planned (deployed or rolled back since): nothing was switched; ask for a new plan with /rollback`,
    );
    const gone = '20261101T000000Z-0123456789ab';
    expect((await switchServer(session, { ...input, targetId: gone })).error).toBe(
      `check: release ${gone} is not on this server (pruned since the plan?): nothing was switched`,
    );
    await mkdir(path.join(files.base, 'releases', gone));
    await chown(path.join(files.base, 'releases', gone), 0, 0);
    expect((await switchServer(session, { ...input, targetId: gone })).error).toBe(
      `check: release ${gone} is incomplete on this server (it has no .deploy-request.json): nothing was switched`,
    );
    await writeFile(
      path.join(files.base, '.deploy-request.lock'),
      `${'e'.repeat(64)} ${Math.floor(Date.now() / 1000)}\n`,
    );
    const held = await switchServer(session, input);
    expect(held.error).toMatch(
      /^lock: .* is held by another deployment \(digest e{64}, taken 0 min ago\)/,
    );
    await rm(path.join(files.base, '.deploy-request.lock'));
    expect(await files.current()).toBe(`releases/${b}`);
    expect(await activations(server.home)).toEqual([]);
  });

  it('refuses a deploy path that is not there', async () => {
    const { input } = await twoReleases('sw-nopath');
    const result = await switchServer(session, { ...input, deploy: deployFor('sw-none') });
    expect(result.error).toBe('rollback: the deploy path ./sw-none does not exist on this server');
  });
});
