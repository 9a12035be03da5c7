// Real OpenSSH servers for tests: one sshd child per server, each with its own host key,
// port and Linux user (dr-test-<n>), so servers are as separate as real machines can be here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import type { ServerConfig } from '../../src/config/types.js';
import { SSHD_PATH } from './ensure-sshd.js';

const run = promisify(execFile);
const LOCK_DIR = path.join(os.tmpdir(), 'dr-test-sshd-locks');

export interface TestServer {
  name: string;
  host: '127.0.0.1';
  port: number;
  user: string;
  home: string;
  /** The public host key line ("ssh-ed25519 AAAA..."), what a config pins. */
  hostKey: string;
  hostKeyPath: string;
  /** PID of the listening sshd (changes on restart). */
  readonly pid: number;
  /** Stops the server and every session it forked, as if the machine went away. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same host key. */
  restart(): Promise<void>;
  serverConfig(extra?: Partial<ServerConfig>): ServerConfig;
}
export interface SshServers {
  servers: TestServer[];
  /** The key every server accepts (OpenSSH format, unencrypted). */
  clientKey: { privateKey: string; publicKey: string };
  stop(): Promise<void>;
}
export interface StartOptions {
  /** Server names are `<namePrefix>-<i>` (default "web"). */
  namePrefix?: string;
  /** Keep what earlier runs left in the users' homes (default: homes are emptied). */
  keepHomes?: boolean;
}

const live = new Set<ChildProcess>();
const heldLocks = new Set<string>();
// A crashed or interrupted worker must not leave sshd processes or slot locks behind.
process.once('exit', () => {
  for (const child of live) if (child.pid) killTreeSync(child.pid);
  for (const lock of heldLocks) rmSync(lock);
});

function rmSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

/** The listener and every descendant (sshd forks per connection, and those call setsid). */
function killTreeSync(rootPid: number): void {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const todo = [rootPid];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    todo.push(...(children.get(pid) ?? []));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Claims the lowest free user slots, so parallel test files never share a user or home. */
async function claimSlots(count: number): Promise<number[]> {
  await mkdir(LOCK_DIR, { recursive: true });
  const slots: number[] = [];
  for (let n = 1; slots.length < count; n++) {
    const lock = path.join(LOCK_DIR, `dr-test-${n}.lock`);
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldLocks.add(lock);
      slots.push(n);
    } catch {
      const owner = Number(await readFile(lock, 'utf8').catch(() => '0'));
      if (owner > 0 && !alive(owner)) {
        await unlink(lock).catch(() => undefined);
        n--; // stale lock of a dead run: try this slot again
      }
    }
  }
  return slots;
}

async function retryLocked<T>(action: () => Promise<T>): Promise<T> {
  // useradd/usermod fail with "cannot lock /etc/passwd" while another worker holds the lock.
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= 100 || !/lock/i.test(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Creates (or reuses) dr-test-<n>, unlocked for key login, and returns its home. */
async function ensureUser(user: string, fresh: boolean): Promise<string> {
  const entry = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`${user}:`));
  if (!entry()) {
    await retryLocked(() => run('useradd', ['-m', '-s', '/bin/sh', user])).catch((error) => {
      if (!entry()) throw error; // someone else created it meanwhile: fine
    });
  }
  const shadow = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${user}:`));
  if (!shadow || shadow.split(':')[1]?.startsWith('!')) {
    await retryLocked(() => run('usermod', ['-p', '*', user])); // a locked account can't log in
  }
  const home = entry()?.split(':')[5];
  if (!home || !home.startsWith('/')) throw new Error(`no home directory for ${user}`);
  await mkdir(home, { recursive: true });
  if (fresh) {
    for (const name of await readdir(home)) {
      await rm(path.join(home, name), { recursive: true, force: true });
    }
  }
  await run('chown', [`${user}:`, home]);
  return home;
}

let sshdVersion: Promise<number> | undefined;
/** OpenSSH major.minor as a number (9.2 -> 9.2); newer servers need extra settings. */
function opensshVersion(): Promise<number> {
  sshdVersion ??= run(SSHD_PATH, ['-V']).then(
    (out) => out.stderr + out.stdout,
    (error: { stderr?: string }) => error.stderr ?? '',
  ).then((text) => Number(/OpenSSH_(\d+\.\d+)/.exec(text)?.[1] ?? '0'));
  return sshdVersion;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function keyBlob(line: string): Buffer {
  return Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
}

/** Completes the key exchange once: 'ready' only when OUR host key answers on that port. */
function probe(port: number, blob: Buffer): Promise<'ready' | 'down' | 'foreign'> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let verdict: 'ready' | 'foreign' | undefined;
    const done = () => {
      client.destroy();
      resolve(verdict ?? 'down');
    };
    client.on('error', done).on('close', done);
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'probe',
      readyTimeout: 2000,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => {
        verdict = key.equals(blob) ? 'ready' : 'foreign';
        return false; // stop before authentication: we only wanted the key
      },
    });
  });
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Spawns sshd and resolves once it answers with its own host key; rejects with its stderr. */
async function launch(config: string, port: number, blob: Buffer): Promise<Running> {
  const child = spawn(SSHD_PATH, ['-D', '-e', '-f', config, '-o', `Port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exitedNow = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedNow = true;
      live.delete(child);
      resolve();
    }),
  );
  let foreign = false;
  for (let attempt = 0; attempt < 400 && !exitedNow && !foreign; attempt++) {
    const verdict = await probe(port, blob);
    if (verdict === 'ready') return { child, exited };
    foreign = verdict === 'foreign';
    await new Promise((resolve) => setTimeout(resolve, 5)); // bounded poll, not a fixed wait
  }
  if (child.pid) killTreeSync(child.pid);
  await exited;
  const inUse = foreign || /Address already in use|Cannot bind/i.test(stderr);
  throw Object.assign(new Error(`sshd on port ${port} did not start: ${stderr.trim()}`), { inUse });
}

function sshdConfig(dir: string, user: string, version: number): string {
  return [
    'ListenAddress 127.0.0.1',
    `HostKey ${dir}/host_ed25519`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    `AllowUsers ${user}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    'AllowTcpForwarding yes',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    'MaxStartups 100',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    // OpenSSH >= 9.8 would penalise 127.0.0.1 after the tests' deliberate auth failures.
    ...(version >= 9.8 ? ['PerSourcePenalties no'] : []),
    '',
  ].join('\n');
}

async function keygen(file: string, comment: string): Promise<{ priv: string; pub: string }> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  const [priv, pub] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}.pub`, 'utf8')]);
  return { priv, pub: pub.trim().split(/\s+/).slice(0, 2).join(' ') };
}

export async function startSshServers(count: number, opts: StartOptions = {}): Promise<SshServers> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'dr-sshd-'));
  await chmod(root, 0o755); // sshd reads authorized_keys as the login user
  const slots = await claimSlots(count);
  const locks = slots.map((n) => path.join(LOCK_DIR, `dr-test-${n}.lock`));
  const running: Running[] = [];
  const stop = async () => {
    for (const r of running) if (r.child.pid && r.child.exitCode === null) killTreeSync(r.child.pid);
    await Promise.all(running.map((r) => r.exited));
    await rm(root, { recursive: true, force: true });
    for (const lock of locks) {
      heldLocks.delete(lock);
      await unlink(lock).catch(() => undefined);
    }
  };
  try {
    const [client, version] = await Promise.all([
      keygen(path.join(root, 'client_ed25519'), 'dr-test-client'),
      opensshVersion(),
    ]);
    const servers = await Promise.all(
      slots.map(async (slot, i) => {
        const name = `${opts.namePrefix ?? 'web'}-${i + 1}`;
        const user = `dr-test-${slot}`;
        const dir = path.join(root, name);
        await mkdir(dir, { mode: 0o755 });
        const [home, hostKey] = await Promise.all([
          ensureUser(user, !opts.keepHomes),
          keygen(path.join(dir, 'host_ed25519'), name).then((k) => k.pub),
        ]);
        const config = path.join(dir, 'sshd_config');
        await writeFile(config, sshdConfig(dir, user, version));
        await writeFile(path.join(dir, 'authorized_keys'), `${client.pub}\n`, { mode: 0o644 });
        const blob = keyBlob(hostKey);
        let port = 0;
        let current: Running | undefined;
        for (let attempt = 0; !current; attempt++) {
          port = await freePort();
          current = await launch(config, port, blob).catch((error: Error & { inUse?: boolean }) => {
            if (!error.inUse || attempt >= 5) throw error;
            return undefined; // another process took the port between our probe and sshd's bind
          });
        }
        running.push(current);
        const server: TestServer = {
          name,
          host: '127.0.0.1',
          port,
          user,
          home,
          hostKey,
          hostKeyPath: path.join(dir, 'host_ed25519'),
          get pid() {
            return current?.child.pid ?? -1;
          },
          async kill() {
            if (current?.child.pid && current.child.exitCode === null) killTreeSync(current.child.pid);
            await current?.exited;
          },
          async restart() {
            await server.kill();
            current = await launch(config, port, blob);
            running.push(current);
          },
          serverConfig: (extra = {}) => ({
            name,
            host: '127.0.0.1',
            port,
            user,
            host_key: hostKey,
            ...extra,
          }),
        };
        return server;
      }),
    );
    return { servers, clientKey: { privateKey: client.priv, publicKey: client.pub }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
