// One read of the artifact per batch: every branch gets every byte, a branch nobody reads or one
// dropped half-way never holds the others up, and a read error reaches every branch.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { rollout } from '../../../src/deploy/rollout.js';
import { ARTIFACT_CHUNK, shareArtifact } from '../../../src/deploy/shared-artifact.js';
import type { ServerDeployResult } from '../../../src/deploy/types.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { deployConfig as fullDeployConfig, deployInput } from './support.js';

const SIZE = 5 * ARTIFACT_CHUNK + 12_345; // several chunks and a partial one: backpressure matters
let file = '';
let sha = '';

beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'dr-share-')), 'a.tgz');
  const bytes = randomBytes(SIZE);
  await writeFile(file, bytes);
  sha = createHash('sha256').update(bytes).digest('hex');
});

async function digestOf(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads the first chunk only, then drops the branch (a script that stopped early). */
async function readOneChunkAndDrop(stream: Readable): Promise<void> {
  for await (const chunk of stream) {
    expect((chunk as Buffer).length).toBeGreaterThan(0);
    break; // for-await's return() destroys the stream
  }
}

describe('shareArtifact', () => {
  it('gives every branch the whole file, read concurrently at different paces', async () => {
    const shared = shareArtifact(file, ['a', 'b', 'c']);
    const slow = (async () => {
      const hash = createHash('sha256');
      for await (const chunk of shared.branch('c')) {
        hash.update(chunk as Buffer);
        await new Promise((resolve) => setImmediate(resolve)); // a slower consumer
      }
      return hash.digest('hex');
    })();
    const digests = await Promise.all([
      digestOf(shared.branch('a')),
      digestOf(shared.branch('b')),
      slow,
    ]);
    expect(digests).toEqual([sha, sha, sha]);
  });

  it('a branch released unread, or dropped after one chunk, holds nobody up', async () => {
    const shared = shareArtifact(file, ['a', 'b', 'c', 'd']);
    shared.release('b');
    shared.release('b'); // twice is harmless
    shared.release('unknown'); // so is a name it never had
    const [a, , d] = await Promise.all([
      digestOf(shared.branch('a')),
      readOneChunkAndDrop(shared.branch('c')),
      digestOf(shared.branch('d')),
    ]);
    expect([a, d]).toEqual([sha, sha]);
  });

  it('closes the file once every branch is gone, even before the end', async () => {
    const shared = shareArtifact(file, ['a', 'b']);
    const a = shared.branch('a');
    await readOneChunkAndDrop(a);
    shared.release('b');
    // Nothing left to read for: the branches are closed, and reading one ends at once.
    expect(a.destroyed && shared.branch('b').destroyed).toBe(true);
  });

  it('a read error ends every branch with it', async () => {
    const shared = shareArtifact(join(file, 'missing'), ['a', 'b']);
    await expect(digestOf(shared.branch('a'))).rejects.toThrow(/ENOTDIR|ENOENT/);
    await expect(digestOf(shared.branch('b'))).rejects.toThrow(/ENOTDIR|ENOENT/);
  });

  it('asking for a branch it was not made with is a programming error', () => {
    const shared = shareArtifact(file, ['a']);
    expect(() => shared.branch('b')).toThrow('no branch named b');
    shared.release('a');
  });
});

describe('rollout with a shared artifact read', () => {
  const servers = ['web-1', 'web-2', 'web-3'].map(
    (name) => ({ name, host: 'h', port: 22, user: 'u', host_key: 'k' }) as ServerConfig,
  );
  const session = (server: ServerConfig): ServerSession => ({
    server,
    exec: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  });
  const deployConfig = (parallel: number) => ({
    parallel,
    batch_size: 3,
    max_failed_servers: 3,
    rollback_on_failure: false,
  });

  async function run(parallel: number, refuse: string[] = []) {
    const received = new Map<string, string | 'own read'>();
    const result = await rollout({
      servers,
      deploy: deployConfig(parallel),
      artifactFile: file,
      connect: (server) =>
        refuse.includes(server.name)
          ? Promise.reject(new Error('connection refused'))
          : Promise.resolve(session(server)),
      deployOne: async (s, _log, artifact) => {
        received.set(s.server.name, artifact ? await digestOf(artifact) : 'own read');
        return { server: s.server.name, ok: true } as ServerDeployResult;
      },
      rollbackOne: () => Promise.reject(new Error('not used')),
      log: { group: () => undefined, info: () => undefined },
    });
    return { received, result };
  }

  it('hands each server of a batch that runs at once its branch of one read', async () => {
    const { received } = await run(3);
    expect([...received.values()]).toEqual([sha, sha, sha]);
  });

  it('a server that cannot connect gives its branch up: the others still get every byte', async () => {
    const { received, result } = await run(10, ['web-2']);
    expect(Object.fromEntries(received)).toEqual({ 'web-1': sha, 'web-3': sha });
    expect(result.results.find((r) => r.server === 'web-2')?.error).toContain('connection refused');
  });

  it('when the batch is larger than parallel, each server reads for itself (no stall)', async () => {
    const { received } = await run(2);
    expect([...received.values()]).toEqual(['own read', 'own read', 'own read']);
  });
});

describe('deployToServer when the artifact cannot be read on the runner', () => {
  it('says so, and nothing is switched', async () => {
    const server = { name: 'web-1', host: 'h', port: 22, user: 'u', host_key: 'k' } as ServerConfig;
    const scripts: string[] = [];
    const session: ServerSession = {
      server,
      async exec(command, options) {
        scripts.push(command);
        // What the remote side sees: the stream ends early (here: never starts).
        const input = options?.stdin as Readable;
        await new Promise((resolve) => input.once('close', resolve));
        return { code: 1, signal: null, stdout: '', stderr: '', timedOut: false };
      },
      close: () => Promise.resolve(),
    };
    const artifact = { file: join(file, 'missing'), sha256: sha, size: SIZE };
    const result = await deployToServer(
      session,
      deployInput(artifact, fullDeployConfig(), 'unreadable', 1),
    );
    expect(result.error).toMatch(
      /^upload: cannot read the artifact on the runner \(.*(ENOTDIR|ENOENT).*\); nothing was switched$/,
    );
    expect(result.switched).toBe(false);
    expect(scripts).toHaveLength(1); // no switch round trip
  });
});
