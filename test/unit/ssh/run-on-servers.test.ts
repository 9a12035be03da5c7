// runOnServers: bounded parallelism, results in input order, one log group per server.
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { runOnServers, type RunLog } from '../../../src/ssh/run-on-servers.js';
import { SshError } from '../../../src/ssh/types.js';

const servers: ServerConfig[] = Array.from({ length: 7 }, (_, i) => ({
  name: `web-${i + 1}`,
  host: `10.0.0.${i + 1}`,
  port: 22,
  user: 'deploy',
  host_key: 'ssh-ed25519 AAAA',
}));

function recorder() {
  const groups: Array<{ name: string; lines: string[] }> = [];
  const infos: string[] = [];
  const log: RunLog = {
    group: (name, lines) => groups.push({ name, lines }),
    info: (l) => infos.push(l),
  };
  return { log, groups, infos };
}

describe('runOnServers', () => {
  it('never runs more than `parallel` at once and keeps the input order', async () => {
    let running = 0;
    let most = 0;
    const gates = servers.map(() => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const { log } = recorder();
    const done = runOnServers(
      servers,
      3,
      async (server) => {
        running++;
        most = Math.max(most, running);
        const index = servers.indexOf(server);
        await gates[index]!.promise;
        running--;
        return server.name.toUpperCase();
      },
      log,
    );
    // Release in reverse order: results must still come back in input order.
    for (let i = servers.length - 1; i >= 0; i--) {
      gates[i]!.resolve();
      await Promise.resolve();
    }
    const results = await done;
    expect(most).toBe(3);
    expect(results.map((r) => (r.ok ? r.value : r.error.message))).toEqual(
      servers.map((s) => s.name.toUpperCase()),
    );
  });

  it('turns failures into results, and logs one group per server with timings', async () => {
    const { log, groups, infos } = recorder();
    const results = await runOnServers(
      servers.slice(0, 3),
      10,
      async (server, serverLog) => {
        serverLog.info(`hello from ${server.name}`);
        if (server.name === 'web-2') throw new SshError('web-2', 'auth', 'web-2: refused');
        if (server.name === 'web-3') throw 'a string';
        return 1;
      },
      log,
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    const second = results[1]!;
    expect(!second.ok && second.error).toBeInstanceOf(SshError);
    const third = results[2]!;
    expect(!third.ok && third.error.message).toBe('a string');
    expect(results.every((r) => r.ms >= 0)).toBe(true);
    expect(groups.map((g) => g.name.replace(/\d+ ms/, 'N ms')).sort()).toEqual([
      'web-1: done in N ms',
      'web-2: failed in N ms',
      'web-3: failed in N ms',
    ]);
    expect(groups.find((g) => g.name.startsWith('web-2'))!.lines).toEqual([
      'hello from web-2',
      'error: web-2: refused',
    ]);
    expect(infos.at(-1)).toMatch(/^3 server\(s\), 10 at a time: 1 done, 2 failed, \d+ ms in all$/);
  });
});
