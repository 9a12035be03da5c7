// Streaming from the source against downloading first: the time from opening artifact.url to the
// last server deployed, N local sshd servers in one batch, a large incompressible .tar.gz served
// by a local HTTP server. Both modes run the product's code (openArtifactFeed + rollout +
// deployToServer), alternating rounds so load from elsewhere hits both alike. Not a test.
// Run as root (it starts sshd for test users); bundled like dist (no ssh2 native binding):
//   npx esbuild bench/stream-probe.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/dr-bench/stream.mjs && N=8 MIB=64 node node_modules/.cache/dr-bench/stream.mjs
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openArtifactFeed } from '../src/deploy/artifact-feed.js';
import { createSshConnector } from '../src/ssh/connector.js';
import { deployConfig, deployInput, rolloutOverFeed, run } from '../test/unit/deploy/support.js';
import { startSshServers } from '../test/support/sshd.js';

const N = Number(process.env.N ?? 8);
const MIB = Number(process.env.MIB ?? 64);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

async function tarball(dir: string): Promise<{ file: string; sha256: string; size: number }> {
  await writeFile(path.join(dir, 'blob.bin'), randomBytes(MIB << 20));
  await writeFile(path.join(dir, 'index.html'), 'bench');
  const file = path.join(os.tmpdir(), `dr-stream-${process.pid}.tar.gz`);
  await run('tar', ['-czf', file, '-C', dir, 'blob.bin', 'index.html']);
  const bytes = await readFile(file);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

async function main(): Promise<void> {
  const env = await startSshServers(N, { namePrefix: 'stream' });
  const work = await mkdtemp(path.join(os.tmpdir(), 'dr-stream-bench-'));
  const artifact = await tarball(work);
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': artifact.size });
    createReadStream(artifact.file).pipe(res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/web.tar.gz`;
  const connector = createSshConnector({
    privateKey: env.clientKey.privateKey,
    servers: env.servers.map((s) => s.serverConfig()),
  });
  const deploy = deployConfig({ batch_size: N, parallel: N, keep_releases: 1 });
  const modes = { 'download first': Infinity, streamed: 0 } as const;
  const times: Record<string, number[]> = { 'download first': [], streamed: [] };
  const cpu: Record<string, number[]> = { 'download first': [], streamed: [] };
  const opened: Record<string, number[]> = { 'download first': [], streamed: [] };
  let second = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [mode, streamFromBytes] of Object.entries(modes)) {
        const tempDir = await mkdtemp(path.join(os.tmpdir(), 'dr-stream-run-'));
        const input = deployInput(artifact, deploy, `r${round}-${mode}`, ++second);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const feed = await openArtifactFeed(
          { url, sha256: artifact.sha256 },
          { workspace: work, workspaceSha: 'a', headSha: 'a', tempDir, streamFromBytes },
        );
        opened[mode]!.push((performance.now() - t0) / 1000); // before any server is touched
        const result = await rolloutOverFeed({
          servers: env.servers.map((s) => s.serverConfig()),
          deploy,
          connector,
          feed,
          input,
        });
        const seconds = (performance.now() - t0) / 1000;
        const used = process.cpuUsage(c0);
        if (!result.ok) throw new Error(`${mode}: ${JSON.stringify(result.results[0]?.error)}`);
        times[mode]!.push(seconds);
        cpu[mode]!.push((used.user + used.system) / 1e6);
        console.log(`round ${round + 1} ${mode}: ${seconds.toFixed(2)} s`);
        await rm(tempDir, { recursive: true, force: true });
      }
    }
  } finally {
    http.close();
    await env.stop();
    await rm(work, { recursive: true, force: true });
    await rm(artifact.file, { force: true });
  }
  const size = (await stat(work).catch(() => undefined))
    ? ''
    : `${(artifact.size / 2 ** 20).toFixed(0)} MiB`;
  console.log(`\nN=${N}, ${size} artifact over local HTTP, medians of ${ROUNDS}:`);
  for (const mode of Object.keys(modes)) {
    console.log(
      `  ${mode.padEnd(15)} ${median(times[mode]!).toFixed(2)} s wall, ${median(cpu[mode]!).toFixed(2)} s runner CPU, ${median(opened[mode]!).toFixed(2)} s before the rollout starts`,
    );
  }
  console.log(
    `  streamed / download first: ${(median(times.streamed!) / median(times['download first']!)).toFixed(2)}`,
  );
}

await main();
