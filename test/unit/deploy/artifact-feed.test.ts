// openArtifactFeed without servers: a release asset (bytes from a stream the test controls) is
// passed on as it arrives and spooled; every way it can be wrong fails ready() and the branches
// with the reason; small artifacts and workspace files are prepared in full first. And rollout's
// use of a feed: a first batch that cannot run at once waits for the download, and a failed
// download starts no batch.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { openArtifactFeed, type ArtifactFeed } from '../../../src/deploy/artifact-feed.js';
import { rollout } from '../../../src/deploy/rollout.js';
import type { ServerDeployResult } from '../../../src/deploy/types.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { deployConfig, makeTarball } from './support.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function gzipOf(files: Record<string, string>, links: Record<string, string> = {}) {
  return readFile((await makeTarball(files, links)).file);
}

/** A feed over a release asset whose listing says `size` and whose body is `chunks`. */
async function feedOf(
  chunks: Buffer[],
  o: { size?: number; sha256?: string; streamFromBytes?: number; tempDir?: string } = {},
) {
  const bytes = Buffer.concat(chunks);
  return openArtifactFeed(
    { release_asset: { tag: 'v1', name: 'web.tgz' }, sha256: o.sha256 ?? sha(bytes) },
    {
      workspace: '/nonexistent',
      workspaceSha: 'a',
      headSha: 'a',
      tempDir: o.tempDir ?? (await mkdtemp(path.join(os.tmpdir(), 'dr-feed-'))),
      streamFromBytes: o.streamFromBytes ?? 0,
      findAsset: async () => ({
        size: o.size ?? bytes.length,
        open: async () => Readable.from(chunks),
      }),
    },
  );
}

/** Reads branch `name` to its end; returns the bytes and the error it ended with. */
async function drain(feed: ArtifactFeed, name = 'a') {
  const branch = feed.stream([name])!.branch(name);
  const got: Buffer[] = [];
  branch.on('data', (chunk: Buffer) => got.push(chunk));
  await new Promise((resolve) => branch.once('close', resolve));
  return { bytes: Buffer.concat(got), error: branch.errored };
}

describe('openArtifactFeed', () => {
  it('passes a release asset on as it arrives, spools it, and verifies it', async () => {
    const bytes = await gzipOf({ 'blob.txt': randomBytes(700_000).toString('base64') });
    const chunks = Array.from({ length: Math.ceil(bytes.length / 50_000) }, (_, i) =>
      bytes.subarray(i * 50_000, (i + 1) * 50_000),
    );
    const feed = await feedOf(chunks);
    expect(feed).toMatchObject({ streaming: true, size: bytes.length, sha256: sha(bytes) });
    const { bytes: got, error } = await drain(feed);
    expect(error).toBeNull();
    expect(got.equals(bytes)).toBe(true);
    await feed.ready();
    expect(feed.streaming).toBe(false);
    expect((await readFile(feed.file)).equals(bytes)).toBe(true);
    feed.abort(); // after the end: nothing to stop
  });

  it('refuses what is not a .tar.gz, a broken tar inside gzip, and more or fewer bytes than listed', async () => {
    const good = await gzipOf({ a: 'x' });
    const cases: Array<[Buffer[], { size?: number }, RegExp]> = [
      [[Buffer.from('plain text, not gzip')], {}, /the artifact is not a \.tar\.gz: not a gzip/],
      [
        [(await import('node:zlib')).gzipSync(Buffer.alloc(1024, 7))],
        {},
        /the artifact is not a \.tar\.gz: not a tar archive \(bad header checksum\)/,
      ],
      [[good], { size: good.length - 1 }, /got .* \(\d+ bytes\) where \d+ were announced/],
      [[good.subarray(0, 100)], { size: good.length }, /got 100 B \(100 bytes\) where \d+ were/],
      [
        [
          (await import('node:zlib')).gzipSync(
            (await import('node:zlib')).gunzipSync(good).subarray(0, 700),
          ),
        ],
        {},
        /the artifact is not a \.tar\.gz: the archive is truncated/,
      ],
    ];
    for (const [chunks, o, reason] of cases) {
      const feed = await feedOf(chunks, { ...o, sha256: sha(Buffer.concat(chunks)) });
      const { error } = await drain(feed);
      expect(String(error)).toMatch(reason);
      await expect(feed.ready()).rejects.toThrow(reason);
    }
  });

  it('says actual, expected and the outcome on a SHA-256 mismatch', async () => {
    const good = await gzipOf({ a: 'x' });
    const feed = await feedOf([good], { sha256: 'e'.repeat(64) });
    await expect(feed.ready()).rejects.toThrow(
      `release asset web.tgz of v1 has SHA-256 ${sha(good)}, but the request says ${'e'.repeat(64)}: refusing it (nothing was unpacked or switched on any server)`,
    );
  });

  it('a cut body, a stop by the run, or an unwritable spool fail with the reason', async () => {
    const good = await gzipOf({ a: 'x' });
    const cut = new Readable({ read() {} });
    const feed = await openArtifactFeed(
      { release_asset: { tag: 'v1', name: 'web.tgz' }, sha256: sha(good) },
      {
        workspace: '/nonexistent',
        workspaceSha: 'a',
        headSha: 'a',
        tempDir: os.tmpdir(),
        streamFromBytes: 0,
        findAsset: async () => ({ size: good.length, open: async () => cut }),
      },
    );
    const ready = feed.ready();
    cut.push(good.subarray(0, 10));
    cut.destroy(new Error('socket hang up'));
    await expect(ready).rejects.toThrow(
      'could not download release asset web.tgz of v1: socket hang up',
    );

    const stopped = await feedOf([good]);
    stopped.abort();
    await expect(stopped.ready()).rejects.toThrow('the run ended before the download');

    const nowhere = await feedOf([good], { tempDir: '/nonexistent/dir' });
    await expect(nowhere.ready()).rejects.toThrow(
      /cannot write the artifact to \/nonexistent\/dir/,
    );
  });

  it('an artifact under the streaming size, or in the workspace, is prepared in full first', async () => {
    const good = await gzipOf({ a: 'x' });
    const small = await feedOf([good], { streamFromBytes: good.length + 1 });
    expect(small.streaming).toBe(false);
    expect(small.stream(['a'])).toBeUndefined();
    await small.ready();
    small.abort();
    expect((await readFile(small.file)).equals(good)).toBe(true);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-feed-ws-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'a.tgz'), good);
    const local = await openArtifactFeed(
      { path: 'a.tgz', sha256: sha(good) },
      { workspace: dir, workspaceSha: 'a', headSha: 'a', tempDir: dir },
    );
    expect(local).toMatchObject({ streaming: false, size: good.length });
  });
});

describe('rollout with an artifact feed', () => {
  const servers = ['a', 'b'].map(
    (name) => ({ name, host: 'h', port: 22, user: 'u', host_key: 'k' }) as ServerConfig,
  );
  const session = (server: ServerConfig): ServerSession => ({
    server,
    exec: async () => ({ code: 0, signal: null, stdout: '', stderr: '', timedOut: false }),
    close: async () => undefined,
  });
  const log = { info: () => undefined, group: () => undefined };
  const deployed = (server: string): ServerDeployResult => ({
    server,
    ok: true,
    releaseId: 'r',
    switched: true,
    rolledBack: false,
    health: 'passed',
    durationMs: 1,
    steps: [],
    previousRelease: 'old',
  });

  it('a first batch that cannot run at once waits for the download; a failed one starts no batch', async () => {
    let streamed = 0;
    const failed = Promise.reject(new Error('could not download: HTTP 500'));
    failed.catch(() => undefined);
    const result = await rollout({
      servers,
      deploy: { ...deployConfig(), batch_size: 2, parallel: 1 },
      connect: async (server) => session(server),
      artifactFeed: {
        streaming: true,
        stream: () => (streamed++, undefined),
        ready: () => failed,
      },
      deployOne: async (s) => deployed(s.server.name),
      rollbackOne: async () => {
        throw new Error('unused');
      },
      log,
    });
    expect(streamed).toBe(0);
    expect(result).toMatchObject({
      ok: false,
      stopped: true,
      reason: 'could not download: HTTP 500',
      results: [],
      untouched: ['a', 'b'],
    });
  });

  it('a download that fails after the first batch switched rolls it back (policy) and starts no other', async () => {
    let streaming = true;
    const rolledBack: string[] = [];
    const result = await rollout({
      servers,
      deploy: { ...deployConfig(), batch_size: 1, parallel: 1, max_failed_servers: 1 },
      connect: async (server) => session(server),
      artifactFeed: {
        get streaming() {
          return streaming;
        },
        stream: () => ((streaming = false), undefined),
        ready: () => Promise.reject(new Error('bytes differ')),
      },
      deployOne: async (s) => deployed(s.server.name),
      rollbackOne: async (s, r) => {
        rolledBack.push(s.server.name);
        return { server: r.server, ok: true, rolledBack: true, durationMs: 1, steps: [] };
      },
      log,
    });
    expect(result).toMatchObject({
      ok: false,
      stopped: true,
      reason: 'bytes differ',
      untouched: ['b'],
    });
    expect(rolledBack).toEqual(['a']);
  });
});
