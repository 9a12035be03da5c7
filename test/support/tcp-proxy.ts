// A TCP relay in front of a test server that can hold a connection's client-to-server bytes after
// a given count: a transfer (an artifact upload) is then stuck half-way for as long as a test
// needs, which makes "the server goes away mid-upload" deterministic without any timing.
import net from 'node:net';

export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  port: number;
  /**
   * From now on, each new connection forwards at most `bytes` client-to-server bytes, then holds
   * the rest. Resolves when a connection reaches that point.
   */
  holdAfter(bytes: number): Promise<void>;
  /** Forwards everything again (held connections go on, new ones are not limited). */
  passThrough(): void;
  close(): Promise<void>;
}

interface Held {
  flush(): void;
}

export async function startTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  let limit: number | undefined;
  let reached: (() => void) | undefined;
  const held = new Set<Held>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(client).add(upstream);
    const connectionLimit = limit;
    let sent = 0;
    let rest: Buffer[] = [];
    let holding = false;
    const forward = (chunk: Buffer) => {
      if (!upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => holding || client.resume());
      }
    };
    const hold: Held = {
      flush() {
        holding = false;
        held.delete(hold);
        for (const chunk of rest) forward(chunk);
        rest = [];
        if (!upstream.writableNeedDrain) client.resume();
      },
    };
    client.on('data', (chunk: Buffer) => {
      if (holding) {
        rest.push(chunk);
        return;
      }
      // A connection opened under a limit keeps it until passThrough() lifts every limit.
      if (
        connectionLimit !== undefined &&
        limit !== undefined &&
        sent + chunk.length > connectionLimit
      ) {
        const room = Math.max(0, connectionLimit - sent);
        forward(chunk.subarray(0, room));
        rest.push(chunk.subarray(room));
        sent = connectionLimit;
        holding = true;
        held.add(hold);
        client.pause();
        reached?.();
        return;
      }
      sent += chunk.length;
      forward(chunk);
    });
    upstream.pipe(client);
    // Either side going away takes the other with it, as a cut connection would.
    const end = () => {
      held.delete(hold);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    holdAfter(bytes) {
      limit = bytes;
      return new Promise<void>((resolve) => (reached = resolve));
    },
    passThrough() {
      limit = undefined;
      reached = undefined;
      for (const h of [...held]) h.flush();
    },
    async close() {
      limit = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
