// A connection that fails after it was set up (a bastion going away, a reset socket) must not
// become an uncaught exception: the connector keeps an error listener, and the session reports the
// loss on the next command. node-ssh is simulated so the error can be raised at will.
import { EventEmitter } from 'node:events';
import ssh2 from 'ssh2';
import { describe, expect, it, vi } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';

const clients: EventEmitter[] = [];
vi.mock('node-ssh', () => ({
  NodeSSH: class {
    connection: EventEmitter | null = null;
    async connect() {
      const client = new EventEmitter();
      clients.push(client);
      this.connection = client;
      return this;
    }
    dispose() {
      this.connection?.emit('close');
    }
  },
}));

const { createSshConnector } = await import('../../../src/ssh/connector.js');

describe('createSshConnector: errors after connecting', () => {
  it('a socket error later on is absorbed; the next command says the connection was lost', async () => {
    const host = ssh2.utils.generateKeyPairSync('ed25519');
    const client = ssh2.utils.generateKeyPairSync('ed25519');
    const server: ServerConfig = {
      name: 'web-1',
      host: '127.0.0.1',
      port: 22,
      user: 'deploy',
      host_key: host.public,
    } as ServerConfig;
    const connector = createSshConnector({ privateKey: client.private, servers: [server] });
    const session = await connector.connect(server);
    const socket = clients.at(-1)!;
    expect(socket.listenerCount('error')).toBe(2); // the connector's and the session's
    expect(() => socket.emit('error', new Error('read ECONNRESET'))).not.toThrow();
    await expect(session.exec('true')).rejects.toThrow('web-1: connection lost (read ECONNRESET)');
    await session.close();
  });
});
