// The host GitHub redirects asset downloads to (objects.githubusercontent.com on GitHub): another
// origin than the API (127.0.0.2 here, the API is on 127.0.0.1), serving the bytes behind a
// short-lived signed URL (over HTTPS with StateOptions.assetHostTls, as on GitHub). It needs no
// token and must never get one: every request records whether an Authorization header reached
// it, and how many bytes it sent.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteLength, findAsset, releaseStore, type AssetBytes, type AssetRec } from './releases.js';
import type { State } from './state.js';

/** How long a signed link lives, as on GitHub (X-Amz-Expires=300). */
export const LINK_TTL_S = 300;

export interface AssetHostCall {
  path: string;
  assetId: number | null;
  /** The Authorization header as received; null when none (as it must be). */
  authorization: string | null;
  status: number;
  /** Bytes of the body written before the response ended or the client went away. */
  bytesSent: number;
}

const CHUNK = 64 * 1024;

function bodyStream(bytes: AssetBytes): Readable {
  if (Buffer.isBuffer(bytes)) return Readable.from([bytes]);
  let left = bytes.size;
  const fill = bytes.fill ?? 0;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(Buffer.alloc(n, fill));
    },
  });
}

export class AssetHost {
  readonly calls: AssetHostCall[] = [];
  private readonly secret = randomBytes(32);
  private readonly pending = new Set<Promise<void>>();
  url = '';
  private close_: (() => Promise<void>) | undefined;

  constructor(private readonly state: State) {}

  private sign(assetId: number, date: number): string {
    return createHmac('sha256', this.secret).update(`${assetId}\n${date}`).digest('hex');
  }

  /** A link to the asset's bytes, valid LINK_TTL_S seconds from now on the stand-in's clock. */
  signedUrl(asset: AssetRec): string {
    const s = this.state;
    const date = Math.floor(s.clock.now().getTime() / 1000);
    const query = new URLSearchParams({
      'X-Amz-Date': String(date),
      'X-Amz-Expires': String(LINK_TTL_S),
      'X-Amz-Signature': this.sign(asset.id, date),
      'response-content-disposition': `attachment; filename=${asset.name}`,
      'response-content-type': 'application/octet-stream',
    });
    return `${this.url}/github-production-release-asset/${s.repoId}/${asset.id}?${query}`;
  }

  async start(): Promise<void> {
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      const done = this.serve(req, res);
      this.pending.add(done);
      void done.finally(() => this.pending.delete(done));
    };
    const tls = this.state.assetHostTls;
    const server = tls ? createHttpsServer(tls, handle) : createServer(handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.2', () => resolve());
    });
    this.url = `${tls ? 'https' : 'http'}://127.0.0.2:${(server.address() as AddressInfo).port}`;
    this.close_ = () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
  }

  async close(): Promise<void> {
    await this.close_?.();
    this.close_ = undefined;
  }

  /** Resolves once every response begun so far has ended (the call log is then complete). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private check(url: URL): { status: number; message?: string; asset?: AssetRec } {
    const m = /^\/github-production-release-asset\/\d+\/(\d+)$/.exec(url.pathname);
    const date = Number(url.searchParams.get('X-Amz-Date'));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    if (!m || !Number.isInteger(date)) return { status: 404, message: 'NoSuchKey' };
    const id = Number(m[1]);
    const good = Buffer.from(this.sign(id, date));
    const given = Buffer.from(signature);
    if (good.length !== given.length || !timingSafeEqual(good, given)) {
      return { status: 403, message: 'SignatureDoesNotMatch' };
    }
    const now = this.state.clock.now().getTime() / 1000;
    if (now > date + LINK_TTL_S) return { status: 403, message: 'Request has expired' };
    const found = findAsset(this.state, id);
    if (!found) return { status: 404, message: 'NoSuchKey' };
    return { status: 200, asset: found.asset };
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const assetId = Number(/\/(\d+)$/.exec(url.pathname)?.[1] ?? NaN);
    const call: AssetHostCall = {
      path: url.pathname,
      assetId: Number.isInteger(assetId) ? assetId : null,
      authorization: req.headers.authorization ?? null,
      status: 0,
      bytesSent: 0,
    };
    this.calls.push(call);
    // S3 refuses a request that carries both a signed query and an Authorization header.
    const verdict = call.authorization
      ? { status: 400, message: 'Only one auth mechanism allowed' }
      : this.check(url);
    call.status = verdict.status;
    if (!verdict.asset) {
      res.writeHead(verdict.status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Message>${verdict.message}</Message></Error>`,
      );
      return;
    }
    const asset = verdict.asset;
    asset.downloads++;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(byteLength(asset.bytes)),
      'content-disposition': `attachment; filename=${asset.name}`,
    });
    const body = bodyStream(asset.bytes);
    body.on('data', (chunk: Buffer) => (call.bytesSent += chunk.length));
    try {
      await pipeline(body, res);
    } catch {
      // The client went away (e.g. refused the size): bytesSent says how far it got.
    }
  }
}

export async function startAssetHost(state: State): Promise<AssetHost> {
  const host = new AssetHost(state);
  await host.start();
  releaseStore(state).host = host;
  return host;
}
