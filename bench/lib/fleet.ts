// The servers every case deploys to: real sshd on 127.0.0.1 (test/support/sshd.ts), one Linux user
// and home each, the same client key for every contender, host keys pinned in a known_hosts file.
import { readFileSync } from 'node:fs';
import { lstat, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerConfig } from '../../src/config/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../test/support/sshd.js';
import { testTls } from '../../test/support/test-tls.js';
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
  // The servers' curl and wget trust the test CA that signs the HTTPS origin (pull mode).
  const tls = await testTls();
  const env: SshServers = await startSshServers(count, {
    namePrefix: 'bench',
    setEnv: () => tls.clientEnv,
  });
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

/** cutime + cstime of this process: CPU seconds of the children it has reaped. */
function reapedChildren(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // after the comm field: state(0) … utime(11) stime(12) cutime(13) cstime(14)
  return (f[13]! + f[14]!) / TICK;
}

/** Busy and total jiffies of the whole machine (/proc/stat), idle and iowait counted as idle. */
function machine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3]! - v[4]!, total };
}

export interface CpuMark {
  /** CPU seconds on the deploying side: this process and the children it reaped. */
  client: number;
  busy: number;
  total: number;
}

export interface CpuUse {
  /**
   * CPU seconds of the deploying side: our child process, or scp/ssh/ansible-playbook and what
   * they reap (not Ansible's ControlPersist masters, which detach).
   */
  client: number;
  /** Share of the whole machine's CPU time that was busy during the run (every process). */
  machineBusy: number;
}

/**
 * The server side cannot be attributed per process here: sshd's privilege-separation monitor exits
 * without reaping the session process, so its CPU time never reaches the listener. The machine's
 * busy share shows whether a run was CPU-bound.
 */
export function cpuMark(): CpuMark {
  const own = process.cpuUsage();
  return { client: (own.user + own.system) / 1e6 + reapedChildren(), ...machine() };
}

export function cpuSince(before: CpuMark): CpuUse {
  const now = cpuMark();
  const total = now.total - before.total;
  return {
    client: now.client - before.client,
    machineBusy: total > 0 ? (now.busy - before.busy) / total : NaN,
  };
}
