// The SSH layer against real sshd servers: exec, pinning, auth, failures, channel limits.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { UPLOAD_IN_FLIGHT } from '../../../src/ssh/upload-window.js';
import { SshError } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';

const run = promisify(execFile);
let env: SshServers;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  env = await startSshServers(2, { namePrefix: 'conn' });
  [a, b] = env.servers as [TestServer, TestServer];
});
afterAll(() => env?.stop());

function connector(extra: Partial<Parameters<typeof createSshConnector>[0]> = {}) {
  return createSshConnector({ privateKey: env.clientKey.privateKey, servers: [], ...extra });
}

async function refusal(promise: Promise<unknown>): Promise<SshError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

async function sshKeygenFingerprint(pubFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', pubFile]);
  return stdout.split(' ')[1]!;
}

describe('createSshConnector', () => {
  it('connects and runs commands: stdout, stderr, exit code, stdin string and stream', async () => {
    const session = await connector().connect(a.serverConfig());
    try {
      expect(await session.exec('id -un; echo oops >&2; exit 3')).toMatchObject({
        code: 3,
        signal: null,
        stdout: `${a.user}\n`,
        stderr: 'oops\n',
        timedOut: false,
        lineAt: [expect.any(Number)],
      });
      expect((await session.exec('wc -c', { stdin: 'hello' })).stdout.trim()).toBe('5');
      const stream = Readable.from([Buffer.from('line 1\n'), Buffer.from('line 2\n')]);
      expect((await session.exec('cat', { stdin: stream })).stdout).toBe('line 1\nline 2\n');
      // The script's sh runs under the login shell, which reports its child's signal as 128+n
      // (dash) or is replaced by it (bash execs a lone command).
      const killed = await session.exec('kill -TERM $$');
      expect(killed.signal === 'SIGTERM' || killed.code === 143).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('an upload to an OpenSSH server keeps at most UPLOAD_IN_FLIGHT uncredited, and arrives whole', async () => {
    // Every channel opened, to read the window ssh2 sends against (sshd offers 2 MiB).
    const windows: Array<{ window: number }> = [];
    const original = ssh2.Client.prototype.exec;
    const exec = vi.spyOn(ssh2.Client.prototype, 'exec').mockImplementation(function (
      this: ssh2.Client,
      command: string,
      callback: unknown,
    ) {
      return original.call(this, command, ((
        error: Error | undefined,
        channel: ssh2.ClientChannel,
      ) => {
        const outgoing = (channel as unknown as { outgoing?: { window: number } }).outgoing;
        if (outgoing) windows.push(outgoing);
        (callback as (error: Error | undefined, channel: ssh2.ClientChannel) => void)(
          error,
          channel,
        );
      }) as never);
    } as never);
    const session = await connector().connect(a.serverConfig());
    try {
      const small = await session.exec('cat', { stdin: 'no stream, no cap' });
      expect(small.stdout).toBe('no stream, no cap');
      expect(windows[0]!.window).toBeGreaterThan(UPLOAD_IN_FLIGHT);
      // 8 MiB of distinct bytes in 64 KiB chunks, well past the window.
      const chunks = Array.from({ length: 128 }, (_, i) => Buffer.alloc(65_536, i));
      const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
      const result = await session.exec('sha256sum', { stdin: Readable.from(chunks) });
      expect(result).toMatchObject({ code: 0, stdout: `${expected}  -\n` });
      // 8 MiB went through a window of at most UPLOAD_IN_FLIGHT: sshd's credits kept it moving,
      // and never raised it past the cap (unchecked, it ends near sshd's 2 MiB).
      expect(windows).toHaveLength(2);
      expect(windows[1]!.window).toBeLessThanOrEqual(UPLOAD_IN_FLIGHT);
    } finally {
      exec.mockRestore();
      await session.close();
    }
  });

  it('the script goes on stdin to `sh -s`; the data after it is only ever data, never script', async () => {
    const session = await connector().connect(a.serverConfig());
    try {
      // dash reads a pipe ahead in blocks: without the ready handshake it would take the data
      // for script text (and run it), and the script's reads would miss the start of the data.
      const header = 'touch "$HOME/pwned-data"\n';
      const body = Buffer.alloc(300_000, 'x');
      const big = `${'# padding so that the script spans many reads\n'.repeat(3000)}head -c ${header.length}; wc -c`;
      for (const stdin of [
        Buffer.concat([Buffer.from(header), body]),
        Readable.from([header, body]),
      ]) {
        const result = await session.exec(big, { stdin });
        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toBe(`${header}300000\n`);
      }
      // A script that leaves its stdin unread ends there: the rest is never read as commands.
      const unread = await session.exec('echo hi', { stdin: 'touch "$HOME/pwned-unread"\n' });
      expect(unread).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
      const ls = await session.exec('ls -A "$HOME"');
      expect(ls.stdout).not.toMatch(/pwned/);
    } finally {
      await session.close();
    }
  });

  it('a stdin stream that fails, or was destroyed before the channel opened, never leaves the command waiting', async () => {
    const session = await connector().connect(a.serverConfig());
    try {
      const gone = new Readable({ read() {} });
      gone.destroy();
      const early = await session.exec('cat >/dev/null; echo eof', { stdin: gone });
      expect(early.timedOut).toBe(false);
      expect(early.stdout).not.toContain('eof'); // cut, not a clean end of input
      let sent = false;
      const failing = new Readable({
        read() {
          if (sent) return this.destroy(new Error('read failed'));
          sent = true;
          this.push(Buffer.from('part'));
        },
      }).on('error', () => undefined);
      const late = await session.exec('cat >/dev/null; echo eof', { stdin: failing });
      expect(late.timedOut).toBe(false);
      expect(late.stdout).not.toContain('eof');
      expect((await session.exec('echo still usable')).stdout).toBe('still usable\n');
    } finally {
      await session.close();
    }
  });

  it('refuses a server whose host key differs, naming both fingerprints, and runs nothing', async () => {
    const marker = path.join(a.home, 'marker-host-key');
    const pinned = b.hostKey; // a's config, b's key: what an impostor at a's address looks like
    const error = await refusal(
      connector()
        .connect(a.serverConfig({ host_key: pinned }))
        .then((s) => s.exec(`touch ${marker}`)),
    );
    expect(error.kind).toBe('host-key');
    expect(error.server).toBe(a.name);
    expect(error.message).toContain(`${a.name} (127.0.0.1:${a.port})`);
    expect(error.message).toContain(await sshKeygenFingerprint(`${a.hostKeyPath}.pub`));
    expect(error.message).toContain(await sshKeygenFingerprint(`${b.hostKeyPath}.pub`));
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a key'],
    ['bad base64', 'ssh-ed25519 !!!!'],
    ['type mismatch', `ssh-rsa ${ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1]}`],
  ])('refuses an unpinned or invalid host_key (%s)', async (_label, hostKey) => {
    const marker = path.join(a.home, 'marker-unpinned');
    const error = await refusal(
      connector()
        .connect(a.serverConfig({ host_key: hostKey }))
        .then((s) => s.exec(`touch ${marker}`)),
    );
    expect(error.kind).toBe('host-key');
    expect(error.message).toMatch(/host_key is .*unpinned hosts are refused/);
    expect(existsSync(marker)).toBe(false);
  });

  it('accepts a pinned line copied from ssh-keyscan (host name in front)', async () => {
    const session = await connector().connect(
      a.serverConfig({ host_key: `[127.0.0.1]:${a.port} ${a.hostKey}` }),
    );
    expect((await session.exec('echo ok')).stdout).toBe('ok\n');
    await session.close();
  });

  it('says clearly when the server refuses the key', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    const error = await refusal(connector({ privateKey: other.private }).connect(a.serverConfig()));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(
      `the server refused key authentication for user ${a.user} (key SHA256:`,
    );
    expect(error.message).toContain(`add the public key to ~${a.user}/.ssh/authorized_keys`);
    const wrongUser = await refusal(connector().connect(a.serverConfig({ user: b.user })));
    expect(wrongUser.kind).toBe('auth');
  });

  it('reports a refused connection', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const error = await refusal(connector().connect(a.serverConfig({ name: 'gone', port })));
    expect(error.kind).toBe('connect');
    expect(error.message).toBe(
      `gone (127.0.0.1:${port}): connection refused; is sshd running and listening on port ${port}?`,
    );
  });

  it('times out on a port that accepts but never speaks SSH', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const error = await refusal(
        connector({ connectTimeoutMs: 300 }).connect(a.serverConfig({ name: 'mute', port })),
      );
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(
        `mute (127.0.0.1:${port}): no SSH answer within 0.3 s; check host/port and firewall`,
      );
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports a key-format problem at connect time without showing the key', async () => {
    const error = await refusal(connector({ privateKey: b.hostKey }).connect(a.serverConfig()));
    expect(error.kind).toBe('key-format');
    expect(error.message).toContain('this is a public key (ssh-ed25519 AAAA…)');
    expect(error.message).not.toContain(b.hostKey.split(' ')[1]);
  });

  it('kills a command that runs past its timeout and keeps the session usable', async () => {
    const session = await connector().connect(a.serverConfig());
    try {
      const result = await session.exec('echo started; sleep 30', { timeoutMs: 300 });
      expect(result.timedOut).toBe(true);
      expect(result.stdout).toBe('started\n');
      expect((await session.exec('echo still here')).stdout).toBe('still here\n');
      // The killed sleep may linger a moment as a zombie (reaped by init); nothing may still run.
      const ps = `ps -u "$(id -u)" -o stat=,comm= | awk '$1 !~ /^Z/ && $2 == "sleep"'`;
      expect((await session.exec(ps)).stdout).toBe('');
    } finally {
      await session.close();
    }
  });

  it('runs 20 commands at once on one connection (channels are queued below MaxSessions)', async () => {
    const session = await connector().connect(a.serverConfig());
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => session.exec(`sleep 0.1; echo ${i}`)),
      );
      expect(results.map((r) => r.stdout.trim())).toEqual(
        Array.from({ length: 20 }, (_, i) => String(i)),
      );
      expect(results.every((r) => r.code === 0)).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('never has more than 8 commands running at once on one connection', async () => {
    const session = await connector().connect(a.serverConfig());
    const dir = path.join(a.home, 'running');
    try {
      // Each command registers itself, counts who else is running, then leaves.
      const counts = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          session.exec(
            `mkdir -p ${dir} && touch ${dir}/${i} && ls ${dir} | wc -l && sleep 0.05 && rm ${dir}/${i}`,
          ),
        ),
      );
      const most = Math.max(...counts.map((r) => Number(r.stdout.trim())));
      expect(most).toBeLessThanOrEqual(8);
      expect(most).toBeGreaterThan(1);
    } finally {
      await session.close();
    }
  });
});
