// The sshd harness itself: fast start, real logins, separate users, clean stop.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSshServers } from '../../support/sshd.js';

const run = promisify(execFile);

async function sshCli(keyFile: string, port: number, user: string, command: string) {
  return run('ssh', [
    '-i',
    keyFile,
    '-p',
    String(port),
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    `${user}@127.0.0.1`,
    command,
  ]);
}

describe('startSshServers', () => {
  it('starts 8 servers, each its own user and host key, and stops cleanly', async () => {
    const started = performance.now();
    const env = await startSshServers(8);
    const ms = performance.now() - started;
    try {
      const { servers } = env;
      expect(new Set(servers.map((s) => s.port)).size).toBe(8);
      expect(new Set(servers.map((s) => s.user)).size).toBe(8);
      expect(new Set(servers.map((s) => s.hostKey)).size).toBe(8);
      const keyFile = path.join(os.tmpdir(), `dr-harness-key-${process.pid}`);
      await writeFile(keyFile, env.clientKey.privateKey, { mode: 0o600 });
      onTestFinished(() => rm(keyFile, { force: true }));
      const first = servers[0]!;
      const { stdout } = await sshCli(keyFile, first.port, first.user, 'id -un; echo "$HOME"');
      expect(stdout.trim().split('\n')).toEqual([first.user, first.home]);
      expect(first.serverConfig({ via: 'x' })).toMatchObject({ port: first.port, via: 'x' });
    } finally {
      await env.stop();
    }
    for (const s of env.servers) {
      expect(existsSync(`/proc/${s.pid}`)).toBe(false);
      expect(existsSync(path.dirname(s.hostKeyPath))).toBe(false); // temp files removed
    }
    console.log(`8 servers started in ${Math.round(ms)} ms`); // reported, not asserted: timings belong in bench/
  });
});

describe('TestServer.kill / restart', () => {
  it('kills the server with its sessions, and restarts it on the same port and key', async () => {
    const env = await startSshServers(1, { namePrefix: 'restart' });
    try {
      const [server] = env.servers;
      const before = { pid: server!.pid, port: server!.port };
      await server!.kill();
      expect(existsSync(`/proc/${before.pid}`)).toBe(false);
      await server!.restart();
      expect(server!.pid).not.toBe(before.pid);
      expect(server!.port).toBe(before.port);
      expect(existsSync(`/proc/${server!.pid}`)).toBe(true);
    } finally {
      await env.stop();
    }
  });
});
