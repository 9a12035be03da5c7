// The servers every case deploys to: real sshd on 127.0.0.1 (test/support/sshd.ts), one Linux user
// and home each, the same client key for every contender, host keys pinned in a known_hosts file.
import { readFileSync } from 'node:fs';
import { lstat, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerConfig } from '../../src/config/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../test/support/sshd.js';
import { run } from './proc.js';

export interface Fleet {
  servers: TestServer[];
  privateKey: string;
  keyFile: string;
  knownHosts: string;
  stop(): Promise<void>;
}

/** The base OpenSSH client options of the plain-ssh baselines: pinned keys, our key, no config. */
export function sshOptions(fleet: Fleet): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    fleet.keyFile,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${fleet.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'ConnectTimeout=10',
  ];
}

export function serverConfigs(servers: TestServer[]): ServerConfig[] {
  return servers.map((server) => server.serverConfig());
}

export async function startFleet(count: number, dir: string): Promise<Fleet> {
  const env: SshServers = await startSshServers(count, { namePrefix: 'bench' });
  try {
    const keyFile = path.join(dir, 'client_ed25519');
    await writeFile(keyFile, env.clientKey.privateKey, { mode: 0o600 });
    const knownHosts = path.join(dir, 'known_hosts');
    await writeFile(
      knownHosts,
      env.servers.map((s) => `[${s.host}]:${s.port} ${s.hostKey}\n`).join(''),
      { mode: 0o644 },
    );
    return {
      servers: env.servers,
      privateKey: env.clientKey.privateKey,
      keyFile,
      knownHosts,
      stop: () => env.stop(),
    };
  } catch (error) {
    await env.stop();
    throw error;
  }
}

/**
 * Between timed runs: keeps only `current` and the release it points to in <home>/<dir>, drops
 * leftovers (uploads, locks), then flushes the page cache's dirty pages, so that no run pays for
 * the previous one's writeback.
 */
export async function tidy(servers: TestServer[], dirs: string[]): Promise<void> {
  await Promise.all(
    servers.flatMap((server) =>
      dirs.map(async (dir) => {
        const base = path.join(server.home, dir);
        const entries = await readdir(base).catch(() => [] as string[]);
        let keep = '';
        try {
          keep = path.basename(await readlink(path.join(base, 'current')));
        } catch {
          /* no current yet */
        }
        for (const entry of entries) {
          if (entry === 'current') continue;
          if (entry === 'releases') {
            const releases = await readdir(path.join(base, 'releases')).catch(() => [] as string[]);
            for (const release of releases) {
              if (release !== keep) {
                await rm(path.join(base, 'releases', release), { recursive: true, force: true });
              }
            }
            continue;
          }
          // uploads, lock files, temporary links; a directory would be ours too
          const stat = await lstat(path.join(base, entry)).catch(() => undefined);
          if (stat) await rm(path.join(base, entry), { recursive: true, force: true });
        }
      }),
    ),
  );
  await run('sync', [], { timeoutMs: 120_000 });
}

/** Removes everything the bench left in the servers' homes. */
export async function clearHomes(servers: TestServer[]): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      for (const entry of await readdir(server.home).catch(() => [] as string[])) {
        await rm(path.join(server.home, entry), { recursive: true, force: true });
      }
    }),
  );
}

const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** utime+stime and cutime+cstime (reaped descendants) of a process, in seconds; 0 if gone. */
function procTimes(pid: number): { self: number; children: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // after the comm field: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
    return { self: (f[11]! + f[12]!) / TICK, children: (f[13]! + f[14]!) / TICK };
  } catch {
    return { self: 0, children: 0 };
  }
}

export interface CpuMark {
  client: number;
  server: number;
}

/**
 * CPU seconds so far: client = this process plus its reaped children (the deploy child, scp, ssh,
 * ansible-playbook…); server = every sshd listener's reaped sessions (sshd, shells, tar, hashing).
 */
export function cpuMark(servers: TestServer[]): CpuMark {
  const own = process.cpuUsage();
  const me = procTimes(process.pid);
  return {
    client: (own.user + own.system) / 1e6 + me.children,
    server: servers.reduce((sum, s) => sum + procTimes(s.pid).children, 0),
  };
}

export function cpuSince(before: CpuMark, servers: TestServer[]): CpuMark {
  const now = cpuMark(servers);
  return { client: now.client - before.client, server: now.server - before.server };
}
