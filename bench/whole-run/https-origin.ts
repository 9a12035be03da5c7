// The "internet" of the whole-run bench: one local HTTPS server that serves the artifact, as a
// CDN or release host would. Its certificate comes from the tests' throwaway CA, which the action
// trusts through NODE_EXTRA_CA_CERTS (Node reads it at start-up) and the servers' curl and wget
// through sshd SetEnv (pull mode), so every client verifies TLS as usual.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { testTls } from '../../test/support/test-tls.js';

export interface HttpsOrigin {
  /** https://127.0.0.1:<port>/<file name> */
  url: string;
  /** The CA certificate to trust (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Bytes of the artifact served since the last reset: one full copy per download. */
  bytesServed(): number;
  resetCount(): void;
  stop(): Promise<void>;
}

export async function startHttpsOrigin(file: string): Promise<HttpsOrigin> {
  // A certificate from the test CA (test/support/test-tls.ts) that the fleet's servers trust too.
  const tls = await testTls();
  const name = path.basename(file);
  const size = (await stat(file)).size;
  let served = 0;
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (req.method !== 'GET' || req.url !== `/${name}`) {
      res.writeHead(404).end();
      return;
    }
    // A byte range, as CDNs answer it (pull mode's reachability check asks for one byte).
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/gzip',
      'content-length': String(end - start + 1),
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    // Read 1 MiB at a time, as a CDN's file server would: at the default 64 KiB this one Node
    // thread spent ~0.18 s of CPU per 64 MiB copy against ~0.14, and at N=32 in pull mode it
    // was the bottleneck (one core busy serving, the other partly idle) while the servers waited.
    const body = createReadStream(file, { start, end, highWaterMark: 1 << 20 });
    body.on('data', (chunk) => (served += chunk.length));
    body.pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/${name}`,
    caFile: tls.caFile,
    bytesServed: () => served,
    resetCount: () => {
      served = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
