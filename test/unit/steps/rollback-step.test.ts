// rollbackEnvironment over three real sshd servers, planned from readLedgers as /rollback does:
// every server goes to the target and the releases left are marked bad; a server that fails
// (its health check, or no connection) stops it, every server already switched goes back with
// its entry as it was, and later batches are never touched: the environment stays on one release.
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployConfig, ServerConfig } from '../../../src/config/types.js';
import { readLedgers } from '../../../src/ledger/read-ledgers.js';
import type { ServerLedger } from '../../../src/ledger/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { rollbackEnvironment, type RollbackPlan } from '../../../src/steps/rollback-step.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';
import {
  activations,
  deployConfig,
  deployReleases,
  digestFor,
  environmentOf,
  LOG_ACTIVATION,
  remote,
  run,
  sshContext,
} from '../deploy/support.js';

let fleet: SshServers;
const actor = { login: 'olga', pr: 7 };

beforeAll(async () => {
  fleet = await startSshServers(3, { namePrefix: 'rb' });
});
afterAll(() => fleet?.stop());

function deployAt(deployPath: string, batchSize: number): DeployConfig {
  return deployConfig({
    path: deployPath,
    batch_size: batchSize,
    parallel: 3,
    activate: LOG_ACTIVATION,
    health_check: { run: 'test ! -f "$HOME/sick"', retries: 1, interval_s: 0, timeout_s: 10 },
  });
}

/** A and B on every server (current B), the ledgers read, and the plan back to A from them. */
async function planned(deploy: DeployConfig, servers: ServerConfig[]) {
  const connector = createSshConnector({ privateKey: fleet.clientKey.privateKey, servers });
  const deployed = await Promise.all(
    fleet.servers.map(async (server) => {
      const session = await connector.connect(server.serverConfig());
      const ids = await deployReleases(session, deploy, ['A', 'B']).finally(() => session.close());
      await run('rm', ['-f', `${server.home}/activations.log`]);
      return ids;
    }),
  );
  const [a = '', b = ''] = deployed[0]!;
  const ctx = sshContext(fleet.clientKey.privateKey);
  const environment = environmentOf(servers, deploy);
  const ledgers = await readLedgers(ctx, environment, servers);
  const ok = ledgers.filter((l): l is Extract<ServerLedger, { ok: true }> => l.ok);
  const plan: RollbackPlan = {
    environment: 'staging',
    target: a,
    expected: Object.fromEntries(ok.map((l) => [l.server, l.current ?? ''])),
    abandoned: Object.fromEntries(
      ok.map((l) => [l.server, l.releases.find((r) => r.id === l.current)]),
    ),
    env: { RELEASE: 'A' },
  };
  return { a, b, ctx, environment, plan };
}

const currents = (deployPath: string) =>
  Promise.all(fleet.servers.map((s) => remote(s.home, deployPath).current()));

describe('rollbackEnvironment', () => {
  it('switches every server to the target, activates and checks it, and marks the release left bad', async () => {
    const servers = fleet.servers.map((s) => s.serverConfig());
    const { a, b, ctx, environment, plan } = await planned(deployAt('rb-ok', 2), servers);
    const run_ = await rollbackEnvironment(
      ctx,
      environment,
      servers,
      plan,
      digestFor('rb-ok'),
      actor,
    );
    expect(run_).toMatchObject({
      ok: true,
      target: a,
      batches: [['rb-1', 'rb-2'], ['rb-3']],
      reverts: [],
      untouched: [],
    });
    expect(run_.results.map((r) => [r.server, r.ok, r.health, r.markedBad])).toEqual([
      ['rb-1', true, 'passed', true],
      ['rb-2', true, 'passed', true],
      ['rb-3', true, 'passed', true],
    ]);
    expect(await currents('rb-ok')).toEqual([1, 2, 3].map(() => `releases/${a}`));
    const after = await readLedgers(ctx, environment, servers);
    for (const ledger of after) {
      expect(ledger).toMatchObject({ ok: true, current: a });
      if (!ledger.ok) continue;
      expect(ledger.releases.map((r) => [r.id, r.bad, r.badReason])).toEqual([
        [b, true, 'rolled back by @olga (#7)'],
        [a, false, undefined],
      ]);
    }
    expect(await activations(fleet.servers[0]!.home)).toEqual([a]);
  });

  it('a server failing its health check stops it: the earlier one goes back, the later one is never touched', async () => {
    const servers = fleet.servers.map((s) => s.serverConfig());
    const { a, b, ctx, environment, plan } = await planned(deployAt('rb-sick', 1), servers);
    const sick = path.join(fleet.servers[1]!.home, 'sick');
    await writeFile(sick, '');
    const run_ = await rollbackEnvironment(
      ctx,
      environment,
      servers,
      plan,
      digestFor('rb-sick'),
      actor,
    ).finally(() => rm(sick));
    expect(run_).toMatchObject({
      ok: false,
      reason:
        'the rollback failed on rb-2; not started on rb-3; switched back to where they were: rb-1',
      untouched: ['rb-3'],
    });
    expect(run_.results.map((r) => [r.server, r.ok, r.switchedBack])).toEqual([
      ['rb-1', true, false],
      ['rb-2', false, true],
    ]);
    expect(run_.reverts).toMatchObject([{ server: 'rb-1', ok: true, rolledBack: true }]);
    // One release everywhere; B is nowhere marked bad, A only where it failed.
    expect(await currents('rb-sick')).toEqual([1, 2, 3].map(() => `releases/${b}`));
    const ledgers = await readLedgers(ctx, environment, servers);
    expect(ledgers.map((l) => (l.ok ? l.releases.map((r) => [r.id, r.bad]) : l.error))).toEqual([
      [
        [b, false],
        [a, false],
      ],
      [
        [b, false],
        [a, true],
      ],
      [
        [b, false],
        [a, false],
      ],
    ]);
    expect(await activations(fleet.servers[0]!.home)).toEqual([a, `${b} <- ${a}`]);
    expect(await activations(fleet.servers[1]!.home)).toEqual([a, `${b} <- ${a}`]);
    expect(await activations(fleet.servers[2]!.home)).toEqual([]);
  });

  it('a server the plan does not name is refused before anything runs there, and stops it', async () => {
    const servers = fleet.servers.map((s) => s.serverConfig());
    const environment = environmentOf(servers, deployAt('rb-unplanned', 1));
    const ctx = sshContext(fleet.clientKey.privateKey);
    const plan = { environment: 'staging', target: '20261125T210001Z-aaaaaaaaaaaa', expected: {} };
    const run_ = await rollbackEnvironment(ctx, environment, servers, plan, digestFor('x'), actor);
    expect(run_).toMatchObject({ ok: false, untouched: ['rb-2', 'rb-3'], reverts: [] });
    expect(run_.results).toMatchObject([
      {
        server: 'rb-1',
        ok: false,
        switched: false,
        error: 'input: the plan names no expected release for this server',
      },
    ]);
  });

  it('a server that cannot be reached stops it the same way; the servers switched before it go back', async () => {
    const servers = fleet.servers.map((s) => s.serverConfig());
    const { b, ctx, environment, plan } = await planned(deployAt('rb-down', 2), servers);
    // rb-3 answers no more: its port now leads nowhere.
    const down = [servers[0]!, servers[1]!, { ...servers[2]!, port: 1 }];
    const run_ = await rollbackEnvironment(
      ctx,
      { ...environment, servers: down },
      down,
      plan,
      digestFor('rb-down'),
      actor,
    );
    expect(run_).toMatchObject({ ok: false, untouched: [] });
    expect(run_.results.map((r) => [r.server, r.ok])).toEqual([
      ['rb-1', true],
      ['rb-2', true],
      ['rb-3', false],
    ]);
    expect(run_.results[2]!.error).toMatch(/^connect: /);
    expect(run_.reverts.map((r) => [r.server, r.ok, r.rolledBack])).toEqual([
      ['rb-1', true, true],
      ['rb-2', true, true],
    ]);
    expect(await currents('rb-down')).toEqual([1, 2, 3].map(() => `releases/${b}`));
  });
});
