// Preset-condition checks: pure script/parse, and the real thing on an sshd in ONE channel.
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecksConfig } from '../../../src/config/types.js';
import { buildCheckScript, parseCheckOutput, runChecks } from '../../../src/environment/checks.js';
import { NO_ANSWER } from '../../../src/environment/check-output.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import { countExecs } from './counting.js';

let env: SshServers;
let server: TestServer;
let raw: ServerSession;
let listener: net.Server;
let busyPort: number;
let freePort: number;

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'chk' });
  server = env.servers[0]!;
  raw = await createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] }).connect(
    server.serverConfig(),
  );
  // The sshd runs on this machine, so a port we listen on here is busy "on the server".
  listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  busyPort = (listener.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  freePort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => listener?.close(resolve));
  await raw?.close();
  await env?.stop();
});

const none: ChecksConfig = { binaries: [], ports_free: [], commands: [] };

async function check(checks: ChecksConfig) {
  let execs = 0;
  const results = await runChecks(
    countExecs(raw, () => execs++),
    checks,
  );
  expect(execs).toBe(1); // every check of a server in one channel
  return results;
}

describe('runChecks on a real server', () => {
  it('passes when every condition holds, with os/arch as information', async () => {
    const results = await check({
      disk_free: { path: 'no/such/dir/yet', min_mb: 1 },
      memory_available_mb: 1,
      binaries: ['sh', 'tar'],
      ports_free: [freePort],
      commands: [
        { name: 'version', run: 'echo v20.11.1', expect: '^v2[0-9]\\.' },
        { name: 'plain', run: 'true' },
      ],
    });
    expect(results.filter((r) => !r.passed)).toEqual([]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName.os).toMatchObject({ actual: 'Linux', info: true });
    expect(byName.arch!.actual).toBe(os.machine());
    expect(byName['disk free no/such/dir/yet']!.actual).toMatch(
      /^\d+ MB \(on \.\/?, the nearest existing parent\)$/,
    );
    expect(byName['binary tar']!.actual).toMatch(/\/tar$/);
    expect(byName[`port ${freePort} free`]!.actual).toBe('free');
    expect(byName.version!.actual).toBe('v20.11.1');
  });

  it.each<[string, ChecksConfig, string, string | RegExp]>([
    ['disk', { ...none, disk_free: { path: '/', min_mb: 1e12 } }, 'disk free /', /^\d+ MB$/],
    ['binary', { ...none, binaries: ['no-such-tool-xyz'] }, 'binary no-such-tool-xyz', 'not found'],
    ['port', { ...none, ports_free: [0] }, 'port BUSY free', 'in use: something listens on it'],
    [
      'expect',
      { ...none, commands: [{ name: 'node 20+', run: 'echo v18.2.0', expect: '^v2[0-9]\\.' }] },
      'node 20+',
      'v18.2.0',
    ],
    [
      'exit code',
      { ...none, commands: [{ name: 'probe', run: 'echo out; echo "it broke" >&2; exit 4' }] },
      'probe',
      'exit 4: it broke',
    ],
    [
      'bad regex',
      { ...none, commands: [{ name: 'probe', run: 'echo x', expect: '(' }] },
      'probe',
      /^invalid expect pattern/,
    ],
  ])('fails on %s', async (_label, checks, name, actual) => {
    const config = checks.ports_free.length ? { ...checks, ports_free: [busyPort] } : checks;
    const results = await check(config);
    const failed = results.filter((r) => !r.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toBe(name.replace('BUSY', String(busyPort)));
    if (typeof actual === 'string') expect(failed[0]!.actual).toBe(actual);
    else expect(failed[0]!.actual).toMatch(actual);
  });

  it('keeps hostile check values inert', async () => {
    const results = await check({
      ...none,
      binaries: ['$(touch pwned)', "'; touch pwned; '"],
      commands: [{ name: 'x', run: 'test ! -e pwned && echo clean', expect: '^clean$' }],
    });
    expect(results.map((r) => [r.actual, r.passed]).slice(2)).toEqual([
      ['not found', false],
      ['not found', false],
      ['clean', true],
    ]);
  });
});

describe('buildCheckScript / parseCheckOutput (pure)', () => {
  it('quotes every configured value', () => {
    const script = buildCheckScript({
      ...none,
      disk_free: { path: "/srv/it's", min_mb: 1 },
      commands: [{ name: 'n', run: `echo "$(id)"` }],
    });
    expect(script).toContain(`_dr_disk='/srv/it'\\''s'\n`);
    expect(script).toContain(`_dr_cmd_1='echo "$(id)"'\n`);
  });

  it('reports checks the server never answered', () => {
    const results = parseCheckOutput('@@check os Linux\n', {
      ...none,
      memory_available_mb: 10,
      binaries: ['tar'],
      ports_free: [80],
      commands: [{ name: 'c', run: 'true' }],
    });
    expect(results.map((r) => [r.name, r.actual, r.passed])).toEqual([
      ['os', 'Linux', true],
      ['arch', NO_ANSWER, true],
      ['memory available', NO_ANSWER, false],
      ['binary tar', NO_ANSWER, false],
      ['port 80 free', NO_ANSWER, false],
      ['c', NO_ANSWER, false],
    ]);
  });

  it('ignores lines it did not ask for and takes the first answer', () => {
    const results = parseCheckOutput(
      '@@check listen 1F90 0016\n@@check listen\nnoise\n@@check command 0 0 b2s= \n',
      { ...none, ports_free: [8080, 8081], commands: [{ name: 'c', run: 'x', expect: 'ok' }] },
    );
    expect(results.slice(2).map((r) => r.passed)).toEqual([false, true, true]);
  });
});
