// Upload throughput to a real local sshd (loopback), 50 MB incompressible artifact: the exec
// stdin stream the engine uses (hash computed in the same pass) against SFTP fastPut + a hash
// pass, then deployToServer end to end. Not a test. Run as root (it starts sshd for a test user):
//   npx esbuild bench/upload.bench.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/dr-bench/upload.mjs && node node_modules/.cache/dr-bench/upload.mjs
// Rounds interleave the methods, so load from elsewhere on the machine hits all of them alike.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NodeSSH } from 'node-ssh';
import { deployToServer } from '../src/deploy/deploy-server.js';
import { makeReleaseId } from '../src/deploy/release-id.js';
import { createSshConnector } from '../src/ssh/connector.js';
import type { ServerSession } from '../src/ssh/types.js';
import { deployConfig, releaseMetadata } from '../test/support/fixtures.js';
import { startSshServers, type TestServer } from '../test/support/sshd.js';

const SIZE = 50 * 1000 * 1000;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MiB = 1 << 20;

interface Method {
  name: string;
  /** Uploads file; resolves with the SHA-256 the server computed. */
  run(file: string): Promise<string>;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

async function measure(all: Method[], file: string, expected: string): Promise<number[][]> {
  const rates: number[][] = all.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, method] of all.entries()) {
      const t0 = performance.now();
      const hash = await method.run(file);
      const seconds = (performance.now() - t0) / 1000;
      if (hash !== expected) throw new Error(`${method.name}: server hash ${hash} != ${expected}`);
      rates[i]!.push(SIZE / 1e6 / seconds);
    }
  }
  return rates;
}

function methods(session: ServerSession, ssh: NodeSSH, server: TestServer): Method[] {
  const remoteFile = `${server.home}/bench.tar.gz`;
  const exec = async (command: string, stdin?: NodeJS.ReadableStream) => {
    const result = await session.exec(command, stdin ? { stdin: stdin as never } : {});
    if (result.code !== 0) throw new Error(`${command}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const last = (text: string) => text.split(/\s+/).at(-1) ?? '';
  const opensslAfter = async () => last(await exec(`openssl dgst -sha256 ${remoteFile}`));
  const stream = (file: string, chunk: number) => createReadStream(file, { highWaterMark: chunk });
  return [
    {
      name: 'exec stream, 1 MiB reads: tee | openssl dgst (engine)',
      run: async (file) =>
        last(await exec(`tee ${remoteFile} | openssl dgst -sha256`, stream(file, MiB))),
    },
    {
      name: 'exec stream, 64 KiB reads: tee | openssl dgst',
      run: async (file) =>
        last(await exec(`tee ${remoteFile} | openssl dgst -sha256`, stream(file, 64 * 1024))),
    },
    {
      name: 'exec stream, 1 MiB reads: tee | sha256sum',
      run: async (file) =>
        (await exec(`tee ${remoteFile} | sha256sum`, stream(file, MiB))).split(' ')[0] ?? '',
    },
    {
      name: 'exec stream, 1 MiB reads: cat > file; openssl dgst',
      run: async (file) => {
        await exec(`cat > ${remoteFile}`, stream(file, MiB));
        return opensslAfter();
      },
    },
    {
      name: 'sftp fastPut (node-ssh defaults 64 x 32 KiB); openssl dgst',
      run: async (file) => {
        await ssh.putFile(file, remoteFile);
        return opensslAfter();
      },
    },
    {
      name: 'sftp fastPut (128 x 64 KiB); openssl dgst',
      run: async (file) => {
        await ssh.putFile(file, remoteFile, null, { concurrency: 128, chunkSize: 65536 });
        return opensslAfter();
      },
    },
    { name: 'server hash only: openssl dgst', run: () => opensslAfter() },
    {
      name: 'server hash only: sha256sum',
      run: async () => (await exec(`sha256sum ${remoteFile}`)).split(' ')[0] ?? '',
    },
  ];
}

/** deployToServer of a real 50 MB .tar.gz: both round trips, unpack included. */
async function endToEnd(session: ServerSession, dir: string): Promise<string> {
  const tarball = path.join(dir, 'real.tar.gz');
  await promisify(execFile)('tar', ['-czf', tarball, '-C', dir, 'payload.bin']);
  const bytes = await readFile(tarball);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const digest = createHash('sha256').update(`bench-${round}`).digest('hex');
    const result = await deployToServer(session, {
      artifactFile: tarball,
      sha256,
      size: bytes.length,
      deploy: deployConfig({ path: 'bench-app', keep_releases: 2, parallel: 1 }),
      releaseId: makeReleaseId(new Date(Date.UTC(2026, 0, 1, 0, 0, round)), digest),
      digest,
      metadata: releaseMetadata({ application: 'bench', release: String(round), digest }),
      env: {},
    });
    if (!result.ok) throw new Error(`deployToServer: ${result.error}`);
    times.push(result.durationMs);
  }
  const ms = median(times);
  return `${(bytes.length / 1e6).toFixed(0)} MB .tar.gz in ${ms} ms median (${(bytes.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s incl. unpack)`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-bench-'));
  const file = path.join(dir, 'payload.bin');
  const bytes = randomBytes(SIZE); // random: gzip cannot shrink it, like a real compressed artifact
  await writeFile(file, bytes);
  const expected = createHash('sha256').update(bytes).digest('hex');
  const env = await startSshServers(1, { namePrefix: 'bench' });
  const server = env.servers[0]!;
  const session = await createSshConnector({
    privateKey: env.clientKey.privateKey,
    servers: [],
  }).connect(server.serverConfig());
  const ssh = new NodeSSH();
  await ssh.connect({
    host: server.host,
    port: server.port,
    username: server.user,
    privateKey: env.clientKey.privateKey,
    algorithms: { compress: ['none'] },
  });
  try {
    console.log(
      `${SIZE / 1e6} MB, ${ROUNDS} rounds, loopback, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const all = methods(session, ssh, server);
    const rates = await measure(all, file, expected);
    for (const [i, method] of all.entries()) {
      const best = Math.max(...rates[i]!);
      console.log(
        `${method.name.padEnd(62)} median ${median(rates[i]!).toFixed(0).padStart(4)} MB/s, best ${best.toFixed(0).padStart(4)} MB/s`,
      );
    }
    console.log(`deployToServer end to end: ${await endToEnd(session, dir)}`);
    console.log(`load at the end ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    ssh.dispose();
    await session.close();
    await env.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
