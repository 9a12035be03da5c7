// prepareArtifact's refusals that the main artifact tests do not reach: malformed hashes and
// URLs, transport failures, workspace entries that are not files, a missing asset fetcher.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError, displayUrl, prepareArtifact } from '../../../src/deploy/artifact.js';

let tempDir = '';
let workspace = '';
let server: http.Server;
let base = '';
const SHA = 'a'.repeat(64);

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'dr-art-tmp-'));
  workspace = await mkdtemp(join(tmpdir(), 'dr-art-ws-'));
  await mkdir(join(workspace, 'build'));
  server = http.createServer((req, res) => {
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write('partial');
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const opts = (o: object = {}) => ({ workspace, workspaceSha: 'h', headSha: 'h', tempDir, ...o });

async function refusal(
  source: Parameters<typeof prepareArtifact>[0],
  o: object = {},
): Promise<string> {
  const error = await prepareArtifact(source, opts(o)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ArtifactError);
  return (error as Error).message;
}

describe('prepareArtifact refusals', () => {
  it('a sha256 that is not 64 hex digits, or none, for every kind: nothing is fetched', async () => {
    const unbound = 'artifact.sha256 is missing or not 64 hex digits: nothing unbound is deployed';
    expect(await refusal({ url: `${base}/x`, sha256: 'xyz' })).toBe(unbound);
    expect(await refusal({ url: `${base}/x` } as never)).toBe(unbound);
    let looked = false;
    const findAsset = () => {
      looked = true;
      return Promise.reject(new Error('not reached'));
    };
    expect(
      await refusal({ release_asset: { tag: 'v1', name: 'a.tgz' } } as never, { findAsset }),
    ).toBe(unbound);
    expect(looked).toBe(false);
    expect(await refusal({ path: 'build' } as never)).toBe(unbound);
  });

  it('a url that does not parse', async () => {
    expect(await refusal({ url: 'not a url', sha256: SHA })).toBe('artifact.url is not a URL');
    expect(displayUrl('not a url')).toBe('artifact.url');
  });

  it('a server that cannot be reached, or hangs up mid-body: the cause, without the query', async () => {
    const closed = `http://127.0.0.1:1/web.tgz?sig=secret`;
    const message = await refusal({ url: closed, sha256: SHA });
    expect(message).toMatch(/^could not download http:\/\/127\.0\.0\.1:1\/web\.tgz\?…: /);
    expect(message).not.toContain('secret');
    expect(await refusal({ url: `${base}/cut`, sha256: SHA })).toMatch(
      /^could not download http:\/\/127\.0\.0\.1:\d+\/cut: /,
    );
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('a workspace path that is a directory', async () => {
    expect(await refusal({ path: 'build', sha256: SHA })).toBe(
      'artifact.path build is not a regular file',
    );
  });

  it('a workspace file larger than the limit', async () => {
    await writeFile(join(workspace, 'build', 'big.tgz'), 'x'.repeat(100));
    expect(await refusal({ path: 'build/big.tgz', sha256: SHA }, { maxBytes: 10 })).toBe(
      'the artifact is larger than 10 B',
    );
  });

  it('a release asset without a fetcher in this run', async () => {
    expect(await refusal({ release_asset: { tag: 'v1', name: 'a.tgz' }, sha256: SHA })).toBe(
      'release assets cannot be fetched in this run',
    );
  });

  const asset = { release_asset: { tag: 'v1', name: 'a.tgz' }, sha256: SHA };

  it('a release asset listed larger than the limit: refused before any byte is requested', async () => {
    let opened = false;
    const message = await refusal(asset, {
      maxBytes: 10,
      findAsset: () =>
        Promise.resolve({
          size: 3 * 1024 ** 3,
          open: () => {
            opened = true;
            return Promise.reject(new Error('not reached'));
          },
        }),
    });
    expect(message).toBe('release asset a.tgz of v1 is 3.0 GiB, more than the 10 B limit');
    expect(opened).toBe(false);
  });

  it('a release asset whose bytes outgrow its listed size: cut off at the limit, never held whole', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 4;
        this.push(Buffer.from('xxxx'));
      },
    });
    const message = await refusal(asset, {
      maxBytes: 10,
      findAsset: () => Promise.resolve({ size: 4, open: () => Promise.resolve(endless) }),
    });
    expect(message).toBe(
      'could not download release asset a.tgz of v1: the artifact is larger than 10 B',
    );
    // An endless body: read only as far as the limit plus the stream's buffer.
    expect(pulled).toBeLessThan(64 * 1024);
    expect(endless.destroyed).toBe(true);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('a release asset that cannot be found or opened', async () => {
    expect(
      await refusal(asset, { findAsset: () => Promise.reject(new Error('no release v1')) }),
    ).toBe('could not fetch release asset a.tgz of v1: no release v1');
    expect(
      await refusal(asset, {
        findAsset: () =>
          Promise.resolve({ size: 1, open: () => Promise.reject(new Error('HTTP 403')) }),
      }),
    ).toBe('could not download release asset a.tgz of v1: HTTP 403');
  });
});
