// checkEnvironment across real servers: one connection and one channel per server, in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecksConfig, ProvisionConfig } from '../../../src/config/types.js';
import { checkEnvironment } from '../../../src/environment/check-environment.js';
import type { RunLog } from '../../../src/ssh/run-on-servers.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';
import { countingConnector } from './counting.js';

let env: SshServers;

beforeAll(async () => {
  env = await startSshServers(8, { namePrefix: 'env' });
});
afterAll(() => env?.stop());

const provision: ProvisionConfig = {
  directories: [{ path: 'srv/web/shared', mode: '0750' }, { path: 'srv/web/releases' }],
  files: [{ path: 'srv/web/shared/app.env', content: 'PORT=8080\n', mode: '0600' }],
  commands: [{ name: 'runtime', run: 'touch .runtime', unless: 'test -e .runtime' }],
};
const checks: ChecksConfig = {
  disk_free: { path: 'srv', min_mb: 1 },
  memory_available_mb: 1,
  binaries: ['tar', 'sha256sum'],
  ports_free: [1],
  commands: [{ name: 'shell', run: 'echo ok', expect: '^ok$' }],
};

function recorder() {
  const groups: string[] = [];
  const log: RunLog = { group: (name) => groups.push(name), info: () => undefined };
  return { log, groups };
}

async function measure(count: number) {
  const servers = env.servers.slice(0, count).map((s) => s.serverConfig());
  const counting = countingConnector(
    createSshConnector({ privateKey: env.clientKey.privateKey, servers }),
  );
  const { log, groups } = recorder();
  const started = performance.now();
  const results = await checkEnvironment({
    servers,
    provision,
    checks,
    parallel: 10,
    connector: counting.connector,
    log,
  });
  const ms = Math.round(performance.now() - started);
  return { results, ms, counting, groups };
}

describe('checkEnvironment', () => {
  it.each([2, 8])(
    'provisions and checks %i servers: one connection, one channel each',
    async (count) => {
      const first = await measure(count);
      expect(first.results.map((r) => [r.server, r.reachable, r.passed])).toEqual(
        env.servers.slice(0, count).map((s) => [s.name, true, true]),
      );
      expect([...first.counting.connections.values()]).toEqual(Array(count).fill(1));
      expect([...first.counting.execs.values()]).toEqual(Array(count).fill(1));
      expect(first.groups).toHaveLength(count);
      const again = await measure(count);
      expect(again.results.flatMap((r) => r.provision.map((i) => i.status))).toEqual(
        Array(count * 4).fill('unchanged'),
      );
      console.log(
        `checkEnvironment, ${count} servers: first run ${first.ms} ms, second run ${again.ms} ms; ` +
          `channels per server: ${[...again.counting.execs.values()].join(',')}`,
      );
    },
  );

  it('reports an unreachable server without holding the others up', async () => {
    const [good, bad] = env.servers;
    const servers = [good!.serverConfig(), bad!.serverConfig({ host_key: good!.hostKey })];
    const { log } = recorder();
    const results = await checkEnvironment({
      servers,
      provision,
      checks,
      parallel: 2,
      connector: createSshConnector({ privateKey: env.clientKey.privateKey, servers }),
      log,
    });
    expect(results[0]).toMatchObject({ reachable: true, passed: true });
    expect(results[1]).toMatchObject({
      server: bad!.name,
      reachable: false,
      passed: false,
      provision: [],
      checks: [],
    });
    expect(results[1]!.error).toMatch(/host key mismatch/);
  });

  it('fails a server whose checks fail, saying which', async () => {
    const servers = [env.servers[0]!.serverConfig()];
    const { log } = recorder();
    const [result] = await checkEnvironment({
      servers,
      provision,
      checks: { ...checks, binaries: ['no-such-tool-xyz'] },
      parallel: 1,
      connector: createSshConnector({ privateKey: env.clientKey.privateKey, servers }),
      log,
    });
    expect(result).toMatchObject({ reachable: true, passed: false });
    expect(result!.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual([
      'binary no-such-tool-xyz',
    ]);
  });
});
