// prepareArtifact's refusals that the main artifact tests do not reach: malformed hashes and
// URLs, transport failures, workspace entries that are not files, a missing asset fetcher.
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  it('a sha256 that is not 64 hex digits; a url without one', async () => {
    expect(await refusal({ url: `${base}/x`, sha256: 'xyz' })).toBe(
      'artifact.sha256 is not 64 hex digits',
    );
    expect(await refusal({ url: `${base}/x` } as never)).toBe(
      'artifact.url requires artifact.sha256',
    );
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
    expect(await refusal({ path: 'build' })).toBe('artifact.path build is not a regular file');
  });

  it('a release asset without a fetcher in this run', async () => {
    expect(await refusal({ release_asset: { tag: 'v1', name: 'a.tgz' } })).toBe(
      'release assets cannot be fetched in this run',
    );
  });

  it('a release asset larger than the limit', async () => {
    const message = await refusal(
      { release_asset: { tag: 'v1', name: 'a.tgz' } },
      {
        maxBytes: 10,
        fetchAsset: async (_t: string, _n: string, dest: string) => {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(dest, 'x'.repeat(100));
        },
      },
    );
    expect(message).toBe('the artifact is larger than 10 B');
  });
});
