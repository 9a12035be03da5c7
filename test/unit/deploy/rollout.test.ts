// Rollouts over three real sshd servers: batches, max_failed_servers, rollback of earlier
// batches, later batches untouched, and a server that dies in the middle.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployConfig } from '../../../src/config/types.js';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { rollbackServer } from '../../../src/deploy/rollback-server.js';
import { rollout } from '../../../src/deploy/rollout.js';
import { ROLLOUT_STOPPED_REASON } from '../../../src/ledger/ledger-entry.js';
import type { ServerDeployInput } from '../../../src/deploy/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { SshConnector } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import {
  activations,
  deployConfig,
  deployInput,
  LOG_ACTIVATION,
  makeTarball,
  remote,
} from './support.js';

const exec = promisify(execFile);
let env: SshServers;
let servers: TestServer[];
let connector: SshConnector;

beforeAll(async () => {
  env = await startSshServers(3, { namePrefix: 'web' });
  servers = env.servers;
  connector = createSshConnector({
    privateKey: env.clientKey.privateKey,
    servers: servers.map((s) => s.serverConfig()),
  });
});
afterAll(() => env?.stop());

function runRollout(input: ServerDeployInput, groups: string[] = []) {
  const deploy = input.deploy;
  return rollout({
    servers: servers.map((s) => s.serverConfig()),
    deploy,
    connect: (server) => connector.connect(server),
    artifactFile: input.artifactFile, // a batch that runs at once shares one read
    deployOne: (session, log, artifactStream) =>
      deployToServer(session, { ...input, artifactStream, log }),
    rollbackOne: (session, result, log) =>
      rollbackServer(session, {
        deploy,
        digest: input.digest,
        releaseId: result.releaseId,
        previousRelease: result.previousRelease!,
        env: input.env,
        badReason: ROLLOUT_STOPPED_REASON,
        log,
      }),
    log: {
      group: (name, lines) => groups.push([name, ...lines].join('\n')),
      info: () => undefined,
    },
  });
}

async function currents(deployPath = 'app'): Promise<Array<string | undefined>> {
  return Promise.all(servers.map((s) => remote(s.home, deployPath).current()));
}

describe('rollout', () => {
  const base: Partial<DeployConfig> = { activate: LOG_ACTIVATION, parallel: 3 };
  let first: ServerDeployInput;

  beforeAll(async () => {
    first = deployInput(
      await makeTarball({ v: 'A' }),
      deployConfig({ ...base, batch_size: 3 }),
      'A',
      1,
    );
    const result = await runRollout(first);
    expect(result).toMatchObject({
      ok: true,
      stopped: false,
      batches: [['web-1', 'web-2', 'web-3']],
    });
  });

  it('stops after a failing batch: earlier batches roll back, later batches are never touched', async () => {
    await exec('touch', [`${servers[1]!.home}/unhealthy`]);
    const deploy = deployConfig({
      ...base,
      batch_size: 1,
      max_failed_servers: 0,
      health_check: {
        run: 'test ! -e "$HOME/unhealthy"',
        retries: 2,
        interval_s: 0,
        timeout_s: 30,
      },
    });
    const input = deployInput(await makeTarball({ v: 'B' }), deploy, 'B', 2);
    const groups: string[] = [];
    const result = await runRollout(input, groups);
    await exec('rm', ['-f', `${servers[1]!.home}/unhealthy`]);

    expect(result).toMatchObject({
      ok: false,
      stopped: true,
      batches: [['web-1'], ['web-2'], ['web-3']],
      untouched: ['web-3'],
    });
    expect(result.reason).toMatch(
      /^1 server\(s\) failed \(web-2\), more than max_failed_servers 0/,
    );
    expect(result.results.map((r) => [r.server, r.ok, r.health, r.rolledBack])).toEqual([
      ['web-1', true, 'passed', false],
      ['web-2', false, 'failed', true],
    ]);
    expect(result.rollbacks).toMatchObject([{ server: 'web-1', ok: true, rolledBack: true }]);
    expect(await currents()).toEqual(Array(3).fill(`releases/${first.releaseId}`));
    const a = first.releaseId;
    const b = input.releaseId;
    expect(await activations(servers[0]!.home)).toEqual([a, b, `${a} <- ${b}`]);
    expect(await activations(servers[1]!.home)).toEqual([a, b, `${a} <- ${b}`]);
    expect(await activations(servers[2]!.home)).toEqual([a]);
    expect(await remote(servers[2]!.home).releases()).toEqual([a]);
    // The ledgers say why B is not in use: taken back on web-1, failed on web-2.
    const entry = (i: number) =>
      remote(servers[i]!.home).read(`releases/${b}/.deploy-request.json`);
    expect(JSON.parse(await entry(0))).toMatchObject({
      result: 'deployed',
      bad: true,
      bad_reason: ROLLOUT_STOPPED_REASON,
    });
    expect(JSON.parse(await entry(1))).toMatchObject({
      result: 'failed',
      bad_reason: 'failed its health check',
    });
    expect(
      groups.some((g) => g.startsWith('web-1: done') && g.includes(`marked bad: releases/${b}`)),
    ).toBe(true);
    expect(groups.some((g) => g.startsWith('web-2: done') && g.includes('error: health:'))).toBe(
      true,
    );
  });

  it('names a server killed mid-rollout and leaves the others on one release', async () => {
    const victim = servers[1]!;
    const fifo = `${victim.home}/hang.fifo`;
    await exec('mkfifo', [fifo]);
    await exec('chown', [`${victim.user}:`, fifo]);
    const deploy = deployConfig({
      ...base,
      batch_size: 3,
      // Only the victim has the FIFO: its activate reports in, then hangs until the server dies.
      activate: `${LOG_ACTIVATION}; if [ -p "$HOME/hang.fifo" ]; then echo started > "$HOME/hang.fifo"; sleep 60; fi`,
    });
    const input = deployInput(await makeTarball({ v: 'C' }), deploy, 'C', 3);
    const running = runRollout(input);
    expect(await readFile(fifo, 'utf8')).toBe('started\n'); // blocks until activate runs there
    await victim.kill();
    const result = await running;

    // Which goes first (the connection, the hung activate, the script) is a race; every order
    // must end with web-1 and web-3 back on A and web-2 named as failed.
    expect(result.stopped).toBe(true);
    const dead = result.results.find((r) => r.server === 'web-2')!;
    expect(dead).toMatchObject({ ok: false, switched: true });
    expect(dead.error).toMatch(/^(activate|switch): /);
    expect(dead.error).toMatch(
      /connection lost|exited with (code )?137|without an exit status|killed/,
    );
    expect(result.results.filter((r) => r.ok).map((r) => r.server)).toEqual(['web-1', 'web-3']);
    const rollbacks = Object.fromEntries(result.rollbacks.map((r) => [r.server, r]));
    expect(rollbacks['web-1']).toMatchObject({ ok: true, rolledBack: true });
    expect(rollbacks['web-3']).toMatchObject({ ok: true, rolledBack: true });
    if (!dead.rolledBack) {
      expect(rollbacks['web-2']).toMatchObject({ ok: false, rolledBack: false });
      expect(rollbacks['web-2']!.error).toMatch(/^connect: /);
    }
    const [one, , three] = await currents();
    expect([one, three]).toEqual([`releases/${first.releaseId}`, `releases/${first.releaseId}`]);

    // Back up, the dead server is recoverable: the same deployment's rollback re-enters its lock.
    await exec('rm', ['-f', fifo]);
    await victim.restart();
    const session = await connector.connect(victim.serverConfig());
    try {
      const rollbackInput = {
        deploy,
        digest: input.digest,
        releaseId: input.releaseId,
        previousRelease: first.releaseId,
        env: input.env,
      };
      const back = await rollbackServer(session, rollbackInput);
      expect(back).toMatchObject({ ok: true, rolledBack: !dead.rolledBack });
      expect(await currents()).toEqual(Array(3).fill(`releases/${first.releaseId}`));
      expect(await remote(victim.home).entries()).not.toContain('.deploy-request.lock');
      // Idempotent: current no longer points at this deployment's release, so nothing happens.
      expect(await rollbackServer(session, rollbackInput)).toMatchObject({
        ok: true,
        rolledBack: false,
      });
    } finally {
      await session.close();
    }
  });
});
