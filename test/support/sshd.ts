// Real OpenSSH servers for tests: one sshd child per server, each with its own host key,
// port and Linux user (dr-test-<n>), so servers are as separate as real machines can be here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import type { ServerConfig } from '../../src/config/types.js';
import { SSHD_PATH } from './ensure-sshd.js';
import { killTreeSync, livePid } from './sshd-processes.js';
import { claimSlots, ensureUser, releaseSlots } from './sshd-users.js';

const run = promisify(execFile);

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
  /** What sshd logged since it (re)started: all of it with `logLevel`, else its last 4000 chars. */
  log(): string;
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
  /** Each server's user's login shell, by index (default /bin/sh). */
  loginShells?: string[];
  /**
   * Environment of every session, by server index (sshd `SetEnv`, OpenSSH >= 7.8): e.g. a CA
   * bundle for curl, or a PATH without some tools. Values must not contain spaces or quotes.
   */
  setEnv?: (index: number) => Record<string, string>;
  /** sshd's LogLevel (default ERROR), e.g. DEBUG1 for a test that reads what the server saw. */
  logLevel?: string;
}

const live = new Map<ChildProcess, number>(); // running sshd -> its user's uid
// A crashed or interrupted worker must not leave sshd processes behind.
process.once('exit', () => {
  for (const [child, uid] of live) killTreeSync(livePid(child), uid);
});

let sshdVersion: Promise<number> | undefined;
/** OpenSSH major.minor as a number (9.2 -> 9.2); newer servers need extra settings. */
function opensshVersion(): Promise<number> {
  sshdVersion ??= run(SSHD_PATH, ['-V'])
    .then(
      (out) => out.stderr + out.stdout,
      (error: { stderr?: string }) => error.stderr ?? '',
    )
    .then((text) => Number(/OpenSSH_(\d+\.\d+)/.exec(text)?.[1] ?? '0'));
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
  uid: number;
  log(): string;
}

/** Spawns sshd and resolves once it answers with its own host key; rejects with its stderr. */
async function launch(
  config: string,
  port: number,
  blob: Buffer,
  uid: number,
  keepLog = false,
): Promise<Running> {
  const child = spawn(SSHD_PATH, ['-D', '-e', '-f', config, '-o', `Port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.set(child, uid);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = stderr + chunk.toString();
    if (!keepLog) stderr = stderr.slice(-4000);
    if (process.env.DR_SSHD_LOG) process.stderr.write(chunk); // DR_SSHD_LOG=DEBUG1 to see sshd
  });
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
    if (verdict === 'ready') return { child, exited, uid, log: () => stderr };
    foreign = verdict === 'foreign';
    await new Promise((resolve) => setTimeout(resolve, 5)); // bounded poll, not a fixed wait
  }
  killTreeSync(livePid(child));
  await exited;
  const inUse = foreign || /Address already in use|Cannot bind/i.test(stderr);
  throw Object.assign(new Error(`sshd on port ${port} did not start: ${stderr.trim()}`), { inUse });
}

function sshdConfig(
  dir: string,
  user: string,
  version: number,
  env: Record<string, string> = {},
  logLevel = process.env.DR_SSHD_LOG ?? 'ERROR',
): string {
  const setEnv = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return [
    ...(setEnv.length ? [`SetEnv ${setEnv.join(' ')}`] : []),
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
    `LogLevel ${logLevel}`,
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
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The SSH test servers need root: they create one Linux user per server (dr-test-<n>). ' +
        'Run the tests as root (e.g. sudo npm test) or in a container.',
    );
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'dr-sshd-'));
  await chmod(root, 0o755); // sshd reads authorized_keys as the login user
  const slots = await claimSlots(count);
  const running: Running[] = [];
  const stop = async () => {
    for (const r of running) killTreeSync(livePid(r.child), r.uid);
    await Promise.all(running.map((r) => r.exited));
    await rm(root, { recursive: true, force: true });
    await releaseSlots(slots);
  };
  try {
    const [client, version] = await Promise.all([
      keygen(path.join(root, 'client_ed25519'), 'dr-test-client'),
      opensshVersion(),
    ]);
    // allSettled: on a failure, stop() must run only after every launch has finished.
    const settled = await Promise.allSettled(
      slots.map(async (slot, i) => {
        const name = `${opts.namePrefix ?? 'web'}-${i + 1}`;
        const user = `dr-test-${slot}`;
        const dir = path.join(root, name);
        await mkdir(dir, { mode: 0o755 });
        const [{ home, uid }, hostKey] = await Promise.all([
          ensureUser(user, !opts.keepHomes, opts.loginShells?.[i]),
          keygen(path.join(dir, 'host_ed25519'), name).then((k) => k.pub),
        ]);
        const config = path.join(dir, 'sshd_config');
        await writeFile(config, sshdConfig(dir, user, version, opts.setEnv?.(i), opts.logLevel));
        await writeFile(path.join(dir, 'authorized_keys'), `${client.pub}\n`, { mode: 0o644 });
        const blob = keyBlob(hostKey);
        let port = 0;
        let current: Running | undefined;
        for (let attempt = 0; !current; attempt++) {
          port = await freePort();
          current = await launch(config, port, blob, uid, Boolean(opts.logLevel)).catch(
            (error: Error & { inUse?: boolean }) => {
              if (!error.inUse || attempt >= 5) throw error;
              return undefined; // another process took the port between our probe and sshd's bind
            },
          );
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
          log: () => current?.log() ?? '',
          async kill() {
            if (current) killTreeSync(livePid(current.child), uid);
            await current?.exited;
          },
          async restart() {
            await server.kill();
            current = await launch(config, port, blob, uid, Boolean(opts.logLevel));
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
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const servers = settled.map((r) => (r as PromiseFulfilledResult<TestServer>).value);
    return { servers, clientKey: { privateKey: client.priv, publicKey: client.pub }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
