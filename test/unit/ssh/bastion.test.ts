// Servers reached through another server (`via`): pinned on both hops, one shared bastion link.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { SshError } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';

let env: SshServers;
let jump: TestServer;
let t1: TestServer;
let t2: TestServer;

beforeAll(async () => {
  env = await startSshServers(3, { namePrefix: 'jump' });
  [jump, t1, t2] = env.servers as [TestServer, TestServer, TestServer];
});
afterAll(() => env?.stop());

function connectorFor(servers: ServerConfig[]) {
  return createSshConnector({ privateKey: env.clientKey.privateKey, servers });
}

/** TCP connections in /proc/net/tcp: [localPort, remotePort, state, uid of the socket's owner]. */
function tcpConnections(): Array<[number, number, string, number]> {
  return readFileSync('/proc/net/tcp', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map((f) => [
      parseInt(f[1]!.split(':')[1]!, 16),
      parseInt(f[2]!.split(':')[1]!, 16),
      f[3]!,
      Number(f[7]),
    ]);
}

async function rejection(promise: Promise<unknown>): Promise<SshError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

describe('via (bastion)', () => {
  it('reaches servers through the bastion, sharing one bastion connection', async () => {
    const config = [
      jump.serverConfig(),
      t1.serverConfig({ via: jump.name }),
      t2.serverConfig({ via: jump.name }),
    ];
    const connector = connectorFor(config);
    const [s1, s2] = await Promise.all([
      connector.connect(config[1]!),
      connector.connect(config[2]!),
    ]);
    try {
      const r1 = await s1.exec('id -un; echo $SSH_CONNECTION');
      const [user, connection] = r1.stdout.trim().split('\n');
      expect(user).toBe(t1.user);
      // The target saw a connection opened by the bastion's sshd (running as the bastion's
      // user), not by this test process (root): the hop really went through the bastion.
      const sourcePort = Number(connection!.split(' ')[1]);
      const hop = tcpConnections().find(
        ([local, remote]) => local === sourcePort && remote === t1.port,
      );
      const bastionUser = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${jump.user}:`))!
        .split(':')[2];
      expect(hop?.[3]).toBe(Number(bastionUser));
      expect((await s2.exec('id -un')).stdout.trim()).toBe(t2.user);
      const toBastion = tcpConnections().filter(
        ([, remote, state, uid]) =>
          remote === jump.port && state === '01' && uid === process.getuid!(),
      );
      expect(toBastion).toHaveLength(1);
    } finally {
      await Promise.all([s1.close(), s2.close()]);
    }
  });

  it("pins the bastion's host key too", async () => {
    const config = [
      jump.serverConfig({ host_key: t2.hostKey }),
      t1.serverConfig({ via: jump.name }),
    ];
    const error = await rejection(connectorFor(config).connect(config[1]!));
    expect(error.kind).toBe('host-key');
    expect(error.server).toBe(t1.name);
    expect(error.message).toContain(
      `${t1.name} (127.0.0.1:${t1.port} via ${jump.name}): bastion unusable:`,
    );
    expect(error.message).toContain(`${jump.name} (127.0.0.1:${jump.port}): host key mismatch`);
  });

  it("pins the target's key behind the bastion", async () => {
    const config = [jump.serverConfig(), t1.serverConfig({ via: jump.name, host_key: t2.hostKey })];
    const error = await rejection(connectorFor(config).connect(config[1]!));
    expect(error.kind).toBe('host-key');
    expect(error.message).toContain(
      `${t1.name} (127.0.0.1:${t1.port} via ${jump.name}): host key mismatch`,
    );
  });

  it('refuses an unknown bastion and a via loop', async () => {
    const unknown = t1.serverConfig({ via: 'nowhere' });
    expect((await rejection(connectorFor([unknown]).connect(unknown))).message).toBe(
      `${t1.name}: via nowhere is not a server of this environment`,
    );
    const a = t1.serverConfig({ via: t2.name });
    const b = t2.serverConfig({ via: t1.name });
    expect((await rejection(connectorFor([a, b]).connect(a))).message).toMatch(/via loop/);
  });

  it('fails running commands cleanly when the bastion goes away', async () => {
    const config = [jump.serverConfig(), t1.serverConfig({ via: jump.name })];
    const session = await connectorFor(config).connect(config[1]!);
    try {
      expect((await session.exec('echo up')).stdout).toBe('up\n');
      await jump.kill();
      const error = await rejection(session.exec('sleep 5; echo never'));
      expect(error.kind).toBe('exec');
      expect(error.message).toMatch(/connection lost/);
    } finally {
      await session.close();
      await jump.restart();
    }
  });
});
