// A large artifact.url streams to the first batch while it downloads (three real sshd servers, a
// local HTTP server the test paces): the servers get bytes before the download finished; later
// batches read the spool; bytes that are not the request's, unsafe, or cut short mid-stream
// leave every server unswitched and unpacked, and no later batch starts.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openArtifactFeed, type ArtifactFeed } from '../../../src/deploy/artifact-feed.js';
import type { ServerDeployInput } from '../../../src/deploy/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { SshConnector } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import {
  deployConfig,
  deployInput,
  makeTarball,
  remote,
  rolloutOverFeed,
  run,
  type Artifact,
} from './support.js';

let env: SshServers;
let servers: TestServer[];
let connector: SshConnector;
let http: Server;
let url: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
let requests = 0;
let big: Artifact;

beforeAll(async () => {
  env = await startSshServers(3, { namePrefix: 'stream' });
  servers = env.servers;
  connector = createSshConnector({
    privateKey: env.clientKey.privateKey,
    servers: servers.map((s) => s.serverConfig()),
  });
  http = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/web.tar.gz`;
  // About 1.2 MB that gzip cannot shrink much: many network chunks.
  big = await makeTarball({
    'index.html': 'streamed',
    'blob.txt': randomBytes(900_000).toString('base64'),
  });
});
afterAll(async () => {
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await env?.stop();
});
beforeEach(async () => {
  requests = 0;
  await Promise.all(servers.map((s) => run('rm', ['-rf', remote(s.home).base])));
});

/** Serves `bytes` announcing their length; `cut` decides what happens before the last 64 KiB. */
function serve(bytes: Buffer, beforeTail?: (res: ServerResponse) => Promise<'go' | 'cut'>) {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length });
    const head = bytes.subarray(0, bytes.length - 65_536);
    res.write(head);
    void (beforeTail ? beforeTail(res) : Promise.resolve('go' as const)).then((next) => {
      if (next === 'cut') res.socket?.destroy();
      else res.end(bytes.subarray(head.length));
    });
  };
}

/** Waits for a condition the test cannot be told about (a file on a server), by looking. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Bytes of a partial upload on a server (the deploy script's tee target), 0 when none. */
async function uploading(server: TestServer): Promise<number> {
  const base = remote(server.home).base;
  const names = await readdir(base).catch(() => [] as string[]);
  const upload = names.find((name) => name.startsWith('.deploy-request-upload-'));
  return upload ? (await stat(path.join(base, upload)).catch(() => ({ size: 0 }))).size : 0;
}

async function feedFor(sha256: string): Promise<ArtifactFeed> {
  return openArtifactFeed(
    { url, sha256 },
    {
      workspace: '/nonexistent',
      workspaceSha: 'a'.repeat(40),
      headSha: 'a'.repeat(40),
      tempDir: await mkdtemp(path.join(os.tmpdir(), 'dr-stream-')),
      requestFile: 'deploy-requests/web.yml',
      streamFromBytes: 0,
    },
  );
}

/** Two batches (2 + 1 servers); the first streams from the download. */
async function deploy(feed: ArtifactFeed, artifact: Artifact) {
  const deploy = deployConfig({ batch_size: 2, parallel: 2, max_failed_servers: 3 });
  const input: ServerDeployInput = {
    ...deployInput(artifact, deploy, 'streamed', 1),
    artifactFile: feed.file,
    sha256: feed.sha256,
    size: feed.size,
  };
  const result = await rolloutOverFeed({
    servers: servers.map((s) => s.serverConfig()),
    deploy,
    connector,
    feed,
    input,
  });
  return { result, releaseId: input.releaseId };
}

/** Nothing of the deployment is left on any server: no release, no stage, no upload, no lock. */
async function expectUntouched() {
  for (const server of servers) {
    const r = remote(server.home);
    expect(await r.current()).toBeUndefined();
    expect(await r.releases()).toEqual([]);
    expect((await r.entries()).filter((name) => name.startsWith('.deploy-request'))).toEqual([]);
  }
}

describe('a large artifact.url streams to the servers as it downloads', () => {
  it('the first batch receives bytes before the download finished; the third server reads the spool; all deploy it', async () => {
    const bytes = await readFile(big.file);
    serve(bytes, async () => {
      // The tail waits until both servers of the first batch hold part of the artifact.
      await until(
        async () => (await uploading(servers[0]!)) > 0 && (await uploading(servers[1]!)) > 0,
        'bytes on the first batch',
      );
      return 'go';
    });
    const feed = await feedFor(big.sha256);
    expect(feed.streaming).toBe(true);
    const { result, releaseId } = await deploy(feed, big);
    expect(result.results.map((r) => [r.server, r.ok, r.error])).toEqual(
      servers.map((s) => [s.name, true, undefined]),
    );
    expect(requests).toBe(1); // one download for three servers
    for (const server of servers) {
      expect(await remote(server.home).current()).toBe(`releases/${releaseId}`);
      expect(await remote(server.home).read('current/index.html')).toBe('streamed');
    }
    expect((await readFile(feed.file)).equals(bytes)).toBe(true);
  });

  it('bytes that are not the request sha256 switch nothing; the error says actual, expected and where it is', async () => {
    const other = await makeTarball({
      'index.html': 'other',
      'blob.txt': randomBytes(900_000).toString('base64'),
    });
    serve(await readFile(other.file));
    const feed = await feedFor(big.sha256);
    const { result } = await deploy(feed, big);
    const expected =
      `the artifact downloaded from ${url} has SHA-256 ${other.sha256}, but the request says ` +
      `${big.sha256} (artifact.sha256 in deploy-requests/web.yml): refusing it (nothing was unpacked or switched on any server).`;
    expect(result).toMatchObject({ ok: false, stopped: true, untouched: [servers[2]!.name] });
    expect(result.reason).toContain(expected);
    expect(result.results.map((r) => [r.ok, r.switched])).toEqual([
      [false, false],
      [false, false],
    ]);
    for (const r of result.results) {
      expect(r.error).toContain(`upload: cannot read the artifact on the runner (${expected}`);
    }
    await expect(feed.ready()).rejects.toThrow(expected);
    await expectUntouched();
  });

  it('an unsafe archive with the request sha256 is refused on the runner before any server has it whole', async () => {
    const unsafe = await makeTarball(
      { 'index.html': 'x', 'blob.txt': randomBytes(900_000).toString('base64') },
      { evil: '/etc/passwd' },
    );
    serve(await readFile(unsafe.file));
    const feed = await feedFor(unsafe.sha256);
    const { result } = await deploy(feed, unsafe);
    expect(result.reason).toContain('"evil" is a symlink to "/etc/passwd", outside the release');
    for (const r of result.results) {
      // The runner's verdict, not the server's own symlink check after unpacking.
      expect(r.error).toMatch(
        /^upload: cannot read the artifact on the runner \(the artifact is refused/,
      );
    }
    await expectUntouched();
  });

  it('a branch never gets the whole artifact when the runner refuses it: the last chunk is held until verified', async () => {
    const unsafe = await makeTarball(
      { 'blob.txt': randomBytes(900_000).toString('base64') },
      { evil: '/etc/passwd' },
    );
    serve(await readFile(unsafe.file));
    const feed = await feedFor(unsafe.sha256);
    const branch = feed.stream(['a'])!.branch('a');
    let got = 0;
    branch.on('data', (chunk: Buffer) => (got += chunk.length));
    await new Promise((resolve) => branch.once('close', resolve));
    expect(String(branch.errored)).toContain('outside the release');
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(unsafe.size);
    expect(feed.stream(['b'])).toBeUndefined(); // one download
  });

  it('a download cut mid-stream stops every server before unpacking; no later batch starts', async () => {
    serve(await readFile(big.file), async () => {
      await until(async () => (await uploading(servers[0]!)) > 0, 'bytes on a server');
      return 'cut';
    });
    const feed = await feedFor(big.sha256);
    const { result } = await deploy(feed, big);
    expect(result).toMatchObject({ ok: false, stopped: true, untouched: [servers[2]!.name] });
    expect(result.reason).toMatch(new RegExp(`^could not download ${url.replace(/\./g, '\\.')}: `));
    for (const r of result.results) {
      expect(r.error).toContain(
        'upload: cannot read the artifact on the runner (could not download',
      );
    }
    await expectUntouched();
  });
});
