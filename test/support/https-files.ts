// An HTTPS file server standing in for "the internet" where artifact.url points: serves a map of
// paths to bytes, answers 404 otherwise, and records every request (path, Range, status, bytes
// sent) so a test can tell who downloaded what.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls } from './test-tls.js';

export interface FileCall {
  path: string;
  range: string | null;
  status: number;
  bytesSent: number;
}

export interface HttpsFiles {
  /** https://127.0.0.1:<port> */
  url: string;
  files: Map<string, Buffer>;
  calls: FileCall[];
  close(): Promise<void>;
}

export async function startHttpsFiles(files: Record<string, Buffer> = {}): Promise<HttpsFiles> {
  const tls = await testTls();
  const map = new Map(Object.entries(files));
  const calls: FileCall[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const body = map.get(path);
    const call: FileCall = { path, range: req.headers.range ?? null, status: 404, bytesSent: 0 };
    calls.push(call);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // Ranges: "bytes=a-b" only (what a reachability probe asks for).
    const m = /^bytes=(\d+)-(\d*)$/.exec(call.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    const part = body.subarray(start, end + 1);
    call.status = m ? 206 : 200;
    res.writeHead(call.status, {
      'content-type': 'application/gzip',
      'content-length': String(part.length),
      ...(m ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
    });
    call.bytesSent = req.method === 'HEAD' ? 0 : part.length;
    res.end(req.method === 'HEAD' ? undefined : part);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files: map,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
