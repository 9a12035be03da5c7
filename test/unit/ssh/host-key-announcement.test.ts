// After login an OpenSSH server announces all its host keys; ssh2 on its own asks the server to
// prove each one (a round trip and a signature per key on the server, per connection). The
// connector ignores the announcement: the pinned key was already checked during key exchange.
// Read from what a real sshd logs at DEBUG3.
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { ignoreHostKeyAnnouncements } from '../../../src/ssh/host-key-announcement.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';

const ANNOUNCED = 'notify_hostkeys: sent 1 hostkeys';
const PROOF_ASKED = 'rtype hostkeys-prove-00@openssh.com';

let env: SshServers;
let server: TestServer;

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'hka', logLevel: 'DEBUG3' });
  [server] = env.servers as [TestServer];
});
afterAll(() => env?.stop());

/** The server's log from `from` on, once it has logged `until` (pipes are read asynchronously). */
async function logUntil(from: number, until: string): Promise<string> {
  return vi.waitFor(
    () => {
      const text = server.log().slice(from);
      if (!text.includes(until)) throw new Error(`sshd has not logged "${until}" yet`);
      return text;
    },
    { timeout: 10_000, interval: 10 },
  );
}

describe('host key announcements', () => {
  it('a plain ssh2 client asks the server to prove its host keys (what the connector avoids)', async () => {
    const from = server.log().length;
    const client = new ssh2.Client();
    // ssh2 emits 'hostkeys' once the server has answered its proof request.
    await new Promise<void>((resolve, reject) => {
      client.on('hostkeys', () => resolve());
      client.on('error', reject);
      client.connect({
        host: server.host,
        port: server.port,
        username: server.user,
        privateKey: env.clientKey.privateKey,
      });
    }).finally(() => client.end());
    const log = await logUntil(from, PROOF_ASKED);
    expect(log).toContain(ANNOUNCED);
  });

  it('the connector ignores the announcement: no proof is asked for, and commands run', async () => {
    const from = server.log().length;
    const connector = createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] });
    const session = await connector.connect(server.serverConfig());
    try {
      expect((await session.exec('echo ran')).stdout).toBe('ran\n');
    } finally {
      await session.close();
    }
    // The server handles a connection's messages in order: a proof request, sent on receipt of
    // the announcement, would be logged before the command's session starts.
    const log = await logUntil(from, 'Starting session: command');
    expect(log).toContain(ANNOUNCED);
    expect(log).not.toContain(PROOF_ASKED);
  });
});

describe('ignoreHostKeyAnnouncements', () => {
  type Handler = (protocol: unknown, name: string, wantReply: boolean, data: unknown) => void;
  function fakeClient() {
    const original = vi.fn<Handler>();
    const protocol = { requestFailure: vi.fn() };
    const client = { _protocol: { _handlers: { GLOBAL_REQUEST: original as Handler } } };
    ignoreHostKeyAnnouncements(client);
    const handle = (name: string, wantReply: boolean) =>
      client._protocol._handlers.GLOBAL_REQUEST(protocol, name, wantReply, []);
    return { original, protocol, handle };
  }

  it.each([
    ['an announcement without want-reply: nothing is sent', false, 0],
    ['an announcement with want-reply: declined, as an unknown request', true, 1],
  ])('%s', (_, wantReply, failures) => {
    const { original, protocol, handle } = fakeClient();
    handle('hostkeys-00@openssh.com', wantReply);
    expect(original).not.toHaveBeenCalled();
    expect(protocol.requestFailure).toHaveBeenCalledTimes(failures);
  });

  it('any other global request goes to ssh2 as before', () => {
    const { original, protocol, handle } = fakeClient();
    handle('keepalive@openssh.com', true);
    expect(original).toHaveBeenCalledWith(protocol, 'keepalive@openssh.com', true, []);
    expect(protocol.requestFailure).not.toHaveBeenCalled();
  });

  it('a client without the handlers ssh2 keeps today is left as it is', () => {
    const client = { _protocol: {} };
    expect(() => ignoreHostKeyAnnouncements(client)).not.toThrow();
    expect(() => ignoreHostKeyAnnouncements(undefined)).not.toThrow();
    expect(client).toEqual({ _protocol: {} });
  });
});
