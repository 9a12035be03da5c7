// The "internet" of the whole-run bench: one local HTTPS server that serves the artifact, as a
// CDN or release host would. Its certificate is self-signed for 127.0.0.1 and trusted by the
// action through NODE_EXTRA_CA_CERTS (Node reads it at start-up), so fetch verifies TLS as usual.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { run } from '../lib/proc.js';

export interface HttpsOrigin {
  /** https://127.0.0.1:<port>/<file name> */
  url: string;
  /** The certificate to trust (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Bytes of the artifact served since the last reset: one full copy per download. */
  bytesServed(): number;
  resetCount(): void;
  stop(): Promise<void>;
}

export async function startHttpsOrigin(file: string, dir: string): Promise<HttpsOrigin> {
  const keyFile = path.join(dir, 'origin-key.pem');
  const caFile = path.join(dir, 'origin-cert.pem');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { timeoutMs: 30_000 },
  );
  const name = path.basename(file);
  const size = (await stat(file)).size;
  let served = 0;
  const server = createServer(
    { key: await readFile(keyFile), cert: await readFile(caFile) },
    (req, res) => {
      if (req.method !== 'GET' || req.url !== `/${name}`) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/gzip',
        'content-length': String(size),
      });
      const body = createReadStream(file);
      body.on('data', (chunk) => (served += chunk.length));
      body.pipe(res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/${name}`,
    caFile,
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
