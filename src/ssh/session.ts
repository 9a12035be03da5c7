// One SSH connection to one server, reused for all its work; each exec is one channel.
import type { Readable } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import type { ServerConfig } from '../config/types.js';
import { REMOTE_COMMAND, STDIN_READY, frameScript } from './remote-command.js';
import { Semaphore } from './semaphore.js';
import { SshError, type ExecOptions, type ExecResult, type ServerSession } from './types.js';
import { capUploadWindow } from './upload-window.js';

export interface SessionOptions {
  /** Default for exec's timeoutMs; 0 means none. */
  commandTimeoutMs: number;
  /** OpenSSH allows 10 sessions per connection (MaxSessions); stay below it. */
  maxChannels: number;
  /** Runs after the connection is closed (releases a bastion). */
  onClose?: () => void;
  /** Uploads keep at most UPLOAD_IN_FLIGHT in flight (a server on a local network). */
  capUploads?: boolean;
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as Readable | undefined)?.pipe === 'function';
}

/**
 * Asks sshd to kill the command's process group (OpenSSH >= 7.9 does killpg), then closes the
 * channel. ssh2's channel.signal() does nothing once stdin is ended, hence the protocol call.
 */
function killRemote(channel: ClientChannel): void {
  const internal = channel as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, name: string): void } };
  };
  try {
    const state = internal.outgoing?.state;
    if (internal.outgoing && (state === 'open' || state === 'eof'))
      internal._client?._protocol?.signal(internal.outgoing.id, 'KILL');
    channel.close();
  } catch {
    /* the channel is already going away */
  }
}

/** stdout without the STDIN_READY line, and that line's arrival time taken out of lineAt. */
function withoutReadyLine(text: string, lineAt: number[]): string {
  const at = text.indexOf(`${STDIN_READY}\n`);
  if (at === -1) return text;
  lineAt.splice(text.slice(0, at).split('\n').length - 1, 1);
  return text.slice(0, at) + text.slice(at + STDIN_READY.length + 1);
}

export function createSession(
  server: ServerConfig,
  ssh: NodeSSH,
  opts: SessionOptions,
): ServerSession {
  const client = ssh.connection;
  if (!client) throw new SshError(server.name, 'connect', `${server.name}: not connected`);
  const channels = new Semaphore(opts.maxChannels);
  const pending = new Set<(error: SshError) => void>();
  let lost: string | undefined;
  let closed = false;
  const closedEvent = new Promise<void>((resolve) => client.once('close', () => resolve()));

  // node-ssh drops its error listener after 'ready'; without ours a later error would crash.
  client.on('error', (error: Error) => (lost ??= error.message));
  void closedEvent.then(() => {
    lost ??= 'the server closed the connection';
    for (const fail of pending) {
      fail(
        new SshError(
          server.name,
          'exec',
          `${server.name}: connection lost while running a command (${lost})`,
        ),
      );
    }
  });

  function openOnce(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) =>
      client!.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))),
    );
  }

  /**
   * sshd frees a finished session only in its next garbage-collection pass, so a channel opened
   * right after another closed can briefly meet "no more sessions": retry a few times.
   */
  async function open(command: string): Promise<ClientChannel> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await openOnce(command);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (lost || /No response from server|Not connected/i.test(message)) {
          const why = lost ?? 'the server closed the connection';
          throw new SshError(server.name, 'exec', `${server.name}: connection lost (${why})`);
        }
        if (attempt >= 6 || closed || !/open failed/i.test(message)) {
          throw new SshError(
            server.name,
            'exec',
            `${server.name}: could not open a channel: ${message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt));
      }
    }
  }

  async function exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (closed) throw new SshError(server.name, 'exec', `${server.name}: session already closed`);
    if (lost) throw new SshError(server.name, 'exec', `${server.name}: connection lost (${lost})`);
    const release = await channels.acquire();
    try {
      // The login shell (fish, csh, …) sees only this fixed command; the script and all its
      // data follow on stdin, so no login shell ever parses a value.
      const channel = await open(REMOTE_COMMAND);
      if (opts.capUploads && isReadable(options.stdin)) {
        capUploadWindow(channel, (client as unknown as { _remoteVer?: string })._remoteVer);
      }
      return await collect(channel, script, options);
    } finally {
      release();
    }
  }

  function collect(
    channel: ClientChannel,
    script: string,
    options: ExecOptions,
  ): Promise<ExecResult> {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const lineAt: number[] = [];
    let code: number | null = null;
    let signal: string | null = null;
    let timedOut = false;
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? opts.commandTimeoutMs;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        pending.delete(onLost);
        const endAt = performance.now();
        resolve({
          code,
          signal,
          stdout: withoutReadyLine(Buffer.concat(stdout).toString('utf8'), lineAt),
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
          lineAt,
          endAt,
        });
      };
      const onLost = (error: SshError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        pending.delete(onLost);
        reject(error);
      };
      pending.add(onLost);
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              killRemote(channel);
              // Normally the close follows the kill at once; never wait on it for long.
              setTimeout(finish, 2000).unref();
            }, timeoutMs)
          : undefined;
      const input = options.stdin;
      let waiting = input !== undefined;
      channel.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        const at = performance.now();
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lineAt.push(at);
        // The script says when it has been read in full: only then may the data follow it.
        if (waiting && Buffer.concat(stdout).includes(`${STDIN_READY}\n`)) {
          waiting = false;
          feed();
        }
      });
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = typeof exitCode === 'number' ? exitCode : null;
        signal = exitSignal ?? null;
      });
      channel.on('close', (exitCode?: number | null, exitSignal?: string) => {
        if (code === null && typeof exitCode === 'number') code = exitCode;
        if (signal === null && exitSignal) signal = exitSignal;
        finish();
      });
      const feed = () => {
        if (isReadable(input)) input.pipe(channel);
        else channel.end(input);
      };
      if (isReadable(input)) {
        // A source that fails or is destroyed before its end (perhaps before this channel opened)
        // must not leave the remote command waiting for the rest of its stdin.
        const cut = () => {
          if (!input.readableEnded) channel.close();
        };
        input.on('error', cut);
        input.once('close', cut);
        if (input.destroyed) return cut();
      }
      if (waiting) channel.write(frameScript(script, true));
      else channel.end(frameScript(script, false));
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    ssh.dispose();
    // A server that never answers the disconnect must not hold the run up.
    const force = setTimeout(() => client!.destroy(), 2000);
    await closedEvent;
    clearTimeout(force);
    opts.onClose?.();
  }

  return { server, exec, close };
}
