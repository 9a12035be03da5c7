// The artifact on the runner: downloaded (local HTTP server), from the workspace, or a release
// asset; hashed, compared with the request, refused before any upload when anything is off.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, symlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError, prepareArtifact } from '../../../src/deploy/artifact.js';
import { makeTarball, type Artifact } from './support.js';

let artifact: Artifact;
let bytes: Buffer;
let httpServer: http.Server;
let base: string;
const served = new Map<string, Buffer>();

beforeAll(async () => {
  artifact = await makeTarball({ 'index.html': 'hello', 'bin/start': '#!/bin/sh\n' });
  bytes = await readFile(artifact.file);
  served.set('/web.tar.gz', bytes);
  served.set('/big.tar.gz', Buffer.alloc(4096, 1));
  served.set('/unsafe.tar.gz', await readFile((await makeTarball({ a: '1' }, { l: '/etc' })).file));
  httpServer = http.createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end('no');
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => httpServer?.close(resolve)));

async function options(extra: Partial<Parameters<typeof prepareArtifact>[1]> = {}) {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'dr-ws-'));
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'dr-tmp-'));
  return { workspace, tempDir, workspaceSha: 'c'.repeat(40), headSha: 'c'.repeat(40), ...extra };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactError);
  return (error as Error).message;
}

describe('prepareArtifact: url', () => {
  it('downloads once into the temp dir with the hash computed while streaming', async () => {
    const opts = await options();
    const url = `${base}/web.tar.gz`;
    const prepared = await prepareArtifact({ url, sha256: artifact.sha256.toUpperCase() }, opts);
    expect(prepared).toMatchObject({ sha256: artifact.sha256, size: bytes.length });
    expect(path.dirname(prepared.file)).toBe(opts.tempDir);
    expect(await readFile(prepared.file)).toEqual(bytes);
  });

  it('refuses a wrong hash with both hashes, and leaves nothing behind', async () => {
    const opts = await options();
    const wrong = createHash('sha256').update('other').digest('hex');
    const message = await refusal(
      prepareArtifact({ url: `${base}/web.tar.gz`, sha256: wrong }, opts),
    );
    expect(message).toBe(
      `the artifact downloaded from ${base}/web.tar.gz has SHA-256 ${artifact.sha256}, but the ` +
        `request says ${wrong}: refusing it (nothing was uploaded). These are not the bytes that ` +
        'were approved; if they are meant, put their sha256 in the request (approvals are asked again).',
    );
    expect(await readdir(opts.tempDir)).toEqual([]);
  });

  it('refuses HTTP errors, oversized bodies, other schemes and unsafe archives', async () => {
    const opts = await options({ maxBytes: 1024 });
    const sha = artifact.sha256;
    const signed = `${base}/missing?X-Signature=s3cr3t`;
    expect(await refusal(prepareArtifact({ url: signed, sha256: sha }, opts))).toBe(
      `could not download ${base}/missing?…: HTTP 404`, // the signature stays out of messages
    );
    const withPassword = `${base.replace('//', '//user:hunter2@')}/web.tar.gz`;
    expect(await refusal(prepareArtifact({ url: withPassword, sha256: sha }, opts))).toBe(
      `artifact.url must not contain credentials (${base}/web.tar.gz)`,
    );
    const closed = `http://127.0.0.1:1/x.tar.gz?token=s3cr3t`;
    const unreachable = await refusal(prepareArtifact({ url: closed, sha256: sha }, opts));
    expect(unreachable).toMatch(/^could not download http:\/\/127\.0\.0\.1:1\/x\.tar\.gz\?…: /);
    expect(unreachable).not.toContain('s3cr3t');
    expect(
      await refusal(prepareArtifact({ url: `${base}/big.tar.gz`, sha256: sha }, opts)),
    ).toMatch(/is 4\.0 KiB, more than the 1\.0 KiB limit/);
    expect(
      await refusal(prepareArtifact({ url: 'file:///etc/passwd', sha256: sha }, opts)),
    ).toMatch(/must be http\(s\), not file:/);
    const unsafe = served.get('/unsafe.tar.gz')!;
    const unsafeSha = createHash('sha256').update(unsafe).digest('hex');
    const big = await options();
    expect(
      await refusal(prepareArtifact({ url: `${base}/unsafe.tar.gz`, sha256: unsafeSha }, big)),
    ).toMatch(/"l" is a symlink to "\/etc", outside the release/);
    expect(await readdir(opts.tempDir)).toEqual([]);
    expect(await readdir(big.tempDir)).toEqual([]);
  });
});

describe('prepareArtifact: path', () => {
  it('uses a file of the workspace when it is a checkout of the confirmed head', async () => {
    const opts = await options();
    await mkdir(path.join(opts.workspace, 'build'));
    await copyFile(artifact.file, path.join(opts.workspace, 'build/web.tar.gz'));
    const prepared = await prepareArtifact(
      { path: 'build/web.tar.gz', sha256: artifact.sha256 },
      opts,
    );
    expect(prepared).toMatchObject({ sha256: artifact.sha256, size: bytes.length });
    expect(prepared.file).toBe(path.join(await realpath(opts.workspace), 'build/web.tar.gz'));
  });

  it('refuses when the workspace is another commit than the confirmed head', async () => {
    const opts = await options({ workspaceSha: 'd'.repeat(40) });
    await copyFile(artifact.file, path.join(opts.workspace, 'web.tar.gz'));
    expect(
      await refusal(prepareArtifact({ path: 'web.tar.gz', sha256: artifact.sha256 }, opts)),
    ).toMatch(
      `the workspace is a checkout of ${'d'.repeat(40)}, not the confirmed head ${'c'.repeat(40)}`,
    );
  });

  it('refuses paths leaving the workspace, also through symlinks, and hash mismatches', async () => {
    const opts = await options();
    const outside = await mkdtemp(path.join(os.tmpdir(), 'dr-outside-'));
    await copyFile(artifact.file, path.join(outside, 'web.tar.gz'));
    await symlink(path.join(outside, 'web.tar.gz'), path.join(opts.workspace, 'link.tar.gz'));
    await symlink(outside, path.join(opts.workspace, 'dir'));
    await copyFile(artifact.file, path.join(opts.workspace, 'web.tar.gz'));
    expect(
      await refusal(prepareArtifact({ path: 'link.tar.gz', sha256: artifact.sha256 }, opts)),
    ).toMatch(/resolves outside the workspace/);
    expect(
      await refusal(prepareArtifact({ path: 'dir/web.tar.gz', sha256: artifact.sha256 }, opts)),
    ).toMatch(/resolves outside the workspace/);
    expect(
      await refusal(prepareArtifact({ path: '../x.tar.gz', sha256: artifact.sha256 }, opts)),
    ).toMatch(/does not exist|outside/);
    expect(
      await refusal(prepareArtifact({ path: '/etc/passwd', sha256: artifact.sha256 }, opts)),
    ).toMatch(/must be relative/);
    expect(
      await refusal(prepareArtifact({ path: 'nope.tar.gz', sha256: artifact.sha256 }, opts)),
    ).toMatch(/does not exist in the workspace/);
    expect(
      await refusal(prepareArtifact({ path: 'web.tar.gz', sha256: 'e'.repeat(64) }, opts)),
    ).toMatch(`has SHA-256 ${artifact.sha256}, but the request says ${'e'.repeat(64)}`);
  });
});

describe('prepareArtifact: path in artifact-dir (a build downloaded from another job)', () => {
  it('is found there whatever the workspace holds, bound by the request’s sha256', async () => {
    // No checkout at all: the workspace's commit does not matter, the hash does.
    const opts = await options({ workspaceSha: 'no git checkout' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-artifact-dir-'));
    await mkdir(path.join(dir, 'build'));
    await copyFile(artifact.file, path.join(dir, 'build/web.tar.gz'));
    const prepared = await prepareArtifact(
      { path: 'build/web.tar.gz', sha256: artifact.sha256 },
      { ...opts, artifactDir: dir },
    );
    expect(prepared.file).toBe(path.join(await realpath(dir), 'build/web.tar.gz'));
    expect(prepared).toMatchObject({ sha256: artifact.sha256, size: bytes.length });
  });

  it('refuses outside the directory, a missing directory, and other bytes', async () => {
    const opts = await options({ workspaceSha: 'no git checkout' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-artifact-dir-'));
    const inDir = { ...opts, artifactDir: dir };
    await copyFile(artifact.file, path.join(dir, 'web.tar.gz'));
    await copyFile(artifact.file, path.join(opts.workspace, 'ws.tar.gz'));
    await symlink(path.join(opts.workspace, 'ws.tar.gz'), path.join(dir, 'link.tar.gz'));
    const sha256 = artifact.sha256;
    expect(await refusal(prepareArtifact({ path: 'link.tar.gz', sha256 }, inDir))).toBe(
      `artifact.path link.tar.gz resolves outside artifact-dir ${dir}`,
    );
    expect(await refusal(prepareArtifact({ path: '/x.tar.gz', sha256 }, inDir))).toBe(
      `artifact.path /x.tar.gz must be relative to artifact-dir ${dir}`,
    );
    expect(await refusal(prepareArtifact({ path: 'nope.tar.gz', sha256 }, inDir))).toBe(
      `artifact.path nope.tar.gz does not exist in artifact-dir ${dir}`,
    );
    const gone = path.join(dir, 'gone');
    expect(
      await refusal(
        prepareArtifact({ path: 'web.tar.gz', sha256 }, { ...opts, artifactDir: gone }),
      ),
    ).toBe(`artifact-dir ${gone} does not exist: download the build there before this step`);
    const other = 'e'.repeat(64);
    expect(await refusal(prepareArtifact({ path: 'web.tar.gz', sha256: other }, inDir))).toMatch(
      `has SHA-256 ${sha256}, but the request says ${other}`,
    );
  });
});

describe('prepareArtifact: release_asset', () => {
  it('streams through the injected findAsset, hashing as it goes, then compares', async () => {
    const calls: string[] = [];
    const opts = await options({
      findAsset: (tag, name) => {
        calls.push(`${tag}/${name}`);
        return Promise.resolve({
          size: bytes.length,
          open: () => Promise.resolve(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)])),
        });
      },
    });
    const source = { release_asset: { tag: 'v1.4.2', name: 'web.tar.gz' } };
    const prepared = await prepareArtifact({ ...source, sha256: artifact.sha256 }, opts);
    expect(prepared.sha256).toBe(artifact.sha256);
    expect(await readFile(prepared.file)).toEqual(bytes);
    expect(calls).toEqual(['v1.4.2/web.tar.gz']);
    expect(await refusal(prepareArtifact({ ...source, sha256: 'e'.repeat(64) }, opts))).toBe(
      `release asset web.tar.gz of v1.4.2 has SHA-256 ${artifact.sha256}, but the request says ${'e'.repeat(64)}: refusing it (nothing was uploaded). These are not the bytes that were approved; if they are meant, put their sha256 in the request (approvals are asked again).`,
    );
    const failing = await options({ findAsset: () => Promise.reject(new Error('HTTP 404')) });
    expect(await refusal(prepareArtifact({ ...source, sha256: artifact.sha256 }, failing))).toBe(
      'could not fetch release asset web.tar.gz of v1.4.2: HTTP 404',
    );
    expect(await readdir(failing.tempDir)).toEqual([]);
    expect(await readdir(opts.tempDir)).toEqual([path.basename(prepared.file)]);
  });
});
