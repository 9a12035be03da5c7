// A session over a simulated ssh2 connection: the failure paths real servers produce only by
// accident (a connection lost mid-command, channels refused, a server that never says goodbye).
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { createSession } from '../../../src/ssh/session.js';
import { UPLOAD_IN_FLIGHT } from '../../../src/ssh/upload-window.js';
import { SshError } from '../../../src/ssh/types.js';

const server = { name: 'web-1', host: 'h', port: 22, user: 'u', host_key: 'k' } as ServerConfig;

/** Takes stdin (end / pipe) silently; output and exit are emitted by the test. */
class FakeChannel extends Writable {
  constructor() {
    super({ emitClose: false, autoDestroy: false, write: (_c, _e, done) => done() });
  }
  stderr = new EventEmitter();
  channelClosed = false;
  outgoing = { id: 3, state: 'open', window: 2 * 1024 ** 2 };
  signals: string[] = [];
  _client = { _protocol: { signal: (_id: number, name: string) => this.signals.push(name) } };
  close() {
    this.channelClosed = true;
    this.emit('close');
  }
}

class FakeClient extends EventEmitter {
  /** The server's software from its version line, as ssh2 records it. */
  _remoteVer = 'OpenSSH_9.2p1';
  /** What the next exec calls answer: an error, or a channel. */
  answers: Array<Error | FakeChannel> = [];
  execs = 0;
  destroyed = false;
  exec(_command: string, cb: (error: Error | undefined, channel?: FakeChannel) => void) {
    this.execs++;
    const next = this.answers.shift() ?? new FakeChannel();
    queueMicrotask(() => (next instanceof Error ? cb(next) : cb(undefined, next)));
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

function setup(o: { timeoutMs?: number; disposeCloses?: boolean; capUploads?: boolean } = {}) {
  const client = new FakeClient();
  const onClose = vi.fn();
  const ssh = {
    connection: client,
    dispose: vi.fn(() => {
      if (o.disposeCloses !== false) client.emit('close');
    }),
  };
  const session = createSession(server, ssh as never, {
    commandTimeoutMs: o.timeoutMs ?? 0,
    maxChannels: 2,
    onClose,
    capUploads: o.capUploads ?? false,
  });
  return { client, ssh, session, onClose };
}

afterEach(() => vi.useRealTimers());

describe('createSession', () => {
  it('refuses a NodeSSH without a connection', () => {
    expect(() =>
      createSession(server, { connection: null } as never, { commandTimeoutMs: 0, maxChannels: 1 }),
    ).toThrow(new SshError('web-1', 'connect', 'web-1: not connected'));
  });

  it('collects output, the exit code and signal; exit status from close when exit never came', async () => {
    const { client, session } = setup();
    const a = new FakeChannel();
    client.answers.push(a);
    const run = session.exec('x', { stdin: 'in' });
    await vi.waitFor(() => expect(client.execs).toBe(1));
    a.emit('data', Buffer.from('out'));
    a.stderr.emit('data', Buffer.from('err'));
    a.emit('exit', null, 'TERM');
    a.emit('close');
    expect(await run).toMatchObject({
      code: null,
      signal: 'TERM',
      stdout: 'out',
      stderr: 'err',
      timedOut: false,
      lineAt: [],
    });

    const b = new FakeChannel();
    client.answers.push(b);
    const second = session.exec('y');
    await vi.waitFor(() => expect(client.execs).toBe(2));
    b.emit('close', 7, 'HUP');
    expect(await second).toMatchObject({ code: 7, signal: 'HUP' });
  });

  it('times each stdout line by its arrival; the ready line is neither in stdout nor in the times', async () => {
    const { client, session } = setup();
    const a = new FakeChannel();
    client.answers.push(a);
    const clock = vi.spyOn(performance, 'now');
    const run = session.exec('x', { stdin: 'in' });
    await vi.waitFor(() => expect(client.execs).toBe(1));
    clock.mockReturnValue(100);
    a.emit('data', Buffer.from('@@step lock\n@@stdin-ready\n@@step up'));
    clock.mockReturnValue(250);
    a.emit('data', Buffer.from('load\n'));
    clock.mockReturnValue(400);
    a.emit('data', Buffer.from('@@step verify — ü\n@@verified\n'));
    clock.mockReturnValue(420);
    a.emit('close', 0);
    expect(await run).toMatchObject({
      stdout: '@@step lock\n@@step upload\n@@step verify — ü\n@@verified\n',
      lineAt: [100, 250, 400, 400],
      endAt: 420,
    });
    clock.mockRestore();
  });

  it('a stdin stream that fails closes the channel', async () => {
    const { client, session } = setup();
    const channel = new FakeChannel();
    client.answers.push(channel);
    const input = new Readable({ read() {} });
    const run = session.exec('x', { stdin: input });
    await vi.waitFor(() => expect(client.execs).toBe(1));
    input.destroy(new Error('disk read failed'));
    expect(await run).toMatchObject({ code: null });
    expect(channel.channelClosed).toBe(true);
  });

  it.each([
    ['OpenSSH_9.2p1', 'local', 'an upload stream', UPLOAD_IN_FLIGHT],
    ['OpenSSH_9.2p1', 'local', 'a string on stdin', 2 * 1024 ** 2],
    ['OpenSSH_9.2p1', 'remote', 'an upload stream', 2 * 1024 ** 2],
    ['dropbear_2022.83', 'local', 'an upload stream', 2 * 1024 ** 2],
  ])('%s, %s, %s: the window sent against is %i', async (software, where, what, window) => {
    const { client, session } = setup({ capUploads: where === 'local' });
    client._remoteVer = software;
    const channel = new FakeChannel();
    client.answers.push(channel);
    const stdin = what === 'an upload stream' ? Readable.from(['data']) : 'data';
    const run = session.exec('x', { stdin });
    await vi.waitFor(() => expect(client.execs).toBe(1));
    expect(channel.outgoing.window).toBe(window);
    channel.emit('close', 0);
    await run;
  });

  it('the connection lost mid-command rejects it, and every later exec says why', async () => {
    const { client, session } = setup();
    const channel = new FakeChannel();
    client.answers.push(channel);
    const run = session.exec('sleep');
    await vi.waitFor(() => expect(client.execs).toBe(1));
    client.emit('error', new Error('read ECONNRESET'));
    client.emit('close');
    await expect(run).rejects.toThrow(
      'web-1: connection lost while running a command (read ECONNRESET)',
    );
    channel.emit('close'); // a late close changes nothing
    await expect(session.exec('again')).rejects.toThrow('web-1: connection lost (read ECONNRESET)');
  });

  it('a connection closed without an error: the server closed it', async () => {
    const { client, session } = setup();
    const run = session.exec('x');
    await vi.waitFor(() => expect(client.execs).toBe(1));
    client.emit('close');
    await expect(run).rejects.toThrow('(the server closed the connection)');
  });

  it('opening a channel: retried while sshd says "open failed", refused otherwise', async () => {
    const { client, session } = setup();
    client.answers.push(new Error('(SSH) Channel open failure: open failed'));
    const channel = new FakeChannel();
    client.answers.push(channel);
    const run = session.exec('x');
    await vi.waitFor(() => expect(client.execs).toBe(2));
    channel.emit('close', 0);
    expect(await run).toMatchObject({ code: 0 });

    client.answers.push(new Error('administratively prohibited'));
    await expect(session.exec('y')).rejects.toThrow(
      'web-1: could not open a channel: administratively prohibited',
    );
  });

  it('gives up after seven "open failed" answers', async () => {
    const { client, session } = setup();
    for (let i = 0; i < 7; i++) client.answers.push(new Error('open failed'));
    await expect(session.exec('x')).rejects.toThrow('web-1: could not open a channel: open failed');
    expect(client.execs).toBe(7);
  });

  it('"Not connected" while opening means the connection is gone', async () => {
    const { client, session } = setup();
    client.answers.push(new Error('Not connected'));
    await expect(session.exec('x')).rejects.toThrow(
      'web-1: connection lost (the server closed the connection)',
    );
    const lost = setup();
    lost.client.emit('error', new Error('boom'));
    lost.client.answers.push(new Error('anything'));
    await expect(lost.session.exec('x')).rejects.toThrow('web-1: connection lost (boom)');
  });

  it('a command past its timeout is killed (KILL, then close); no close within 2 s still finishes', async () => {
    vi.useFakeTimers();
    const { client, session } = setup({ timeoutMs: 1000 });
    const channel = new FakeChannel();
    channel.close = () => {
      channel.channelClosed = true; // the server never confirms
    };
    client.answers.push(channel);
    const run = session.exec('sleep 99');
    await vi.advanceTimersByTimeAsync(1000);
    expect(channel.signals).toEqual(['KILL']);
    expect(channel.channelClosed).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await run).toMatchObject({ timedOut: true, code: null });
  });

  it('a channel already gone when killed is not an error', async () => {
    vi.useFakeTimers();
    const { client, session } = setup({ timeoutMs: 10 });
    const channel = new FakeChannel();
    channel.outgoing = { ...channel.outgoing, id: 1, state: 'closed' };
    channel.close = () => {
      throw new Error('already closed');
    };
    client.answers.push(channel);
    const run = session.exec('x');
    await vi.advanceTimersByTimeAsync(10);
    expect(channel.signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await run).toMatchObject({ timedOut: true });
  });

  it('close: once; later execs are refused; a server that never answers is cut after 2 s', async () => {
    const { ssh, session, onClose } = setup();
    await session.close();
    await session.close();
    expect(ssh.dispose).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledTimes(1);
    await expect(session.exec('x')).rejects.toThrow('web-1: session already closed');

    vi.useFakeTimers();
    const silent = setup({ disposeCloses: false });
    const closing = silent.session.close();
    await vi.advanceTimersByTimeAsync(2000);
    await closing;
    expect(silent.client.destroyed).toBe(true);
  });
});
