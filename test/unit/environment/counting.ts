// Test helper: a connector/session wrapper that counts exec channels per server.
import type { ServerSession, SshConnector } from '../../../src/ssh/types.js';

export function countExecs(session: ServerSession, onExec: () => void): ServerSession {
  return {
    server: session.server,
    exec: (command, options) => {
      onExec();
      return session.exec(command, options);
    },
    close: () => session.close(),
  };
}

export function countingConnector(inner: SshConnector): {
  connector: SshConnector;
  execs: Map<string, number>;
  connections: Map<string, number>;
} {
  const execs = new Map<string, number>();
  const connections = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  return {
    execs,
    connections,
    connector: {
      async connect(server) {
        const session = await inner.connect(server);
        bump(connections, server.name);
        return countExecs(session, () => bump(execs, server.name));
      },
    },
  };
}
