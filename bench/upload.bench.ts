// Upload throughput to a real local sshd (loopback), 50 MB incompressible artifact: the exec
// stdin stream the engine uses (hash computed in the same pass) against SFTP fastPut + a hash pass.
// Not a test. Run as root (it starts sshd for a throw-away user):
//   npx esbuild bench/upload.bench.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/dr-bench/upload.mjs && node node_modules/.cache/dr-bench/upload.mjs
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NodeSSH } from 'node-ssh';
import { createSshConnector } from '../src/ssh/connector.js';
import type { ServerSession } from '../src/ssh/types.js';
import { startSshServers, type TestServer } from '../test/support/sshd.js';

const SIZE = 50 * 1000 * 1000;
const ROUNDS = 5;

interface Method {
  name: string;
  run(file: string): Promise<string>; // resolves with the SHA-256 the server computed
}

/** Rounds interleave the methods, so load from elsewhere on the machine hits all of them alike. */
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
  return [
    {
      name: 'exec stream: tee file | openssl dgst (engine)',
      run: async (file) =>
        last(await exec(`tee ${remoteFile} | openssl dgst -sha256`, createReadStream(file))),
    },
    {
      name: 'exec stream 1 MiB chunks: tee file | openssl dgst',
      run: async (file) =>
        last(
          await exec(
            `tee ${remoteFile} | openssl dgst -sha256`,
            createReadStream(file, { highWaterMark: 1 << 20 }),
          ),
        ),
    },
    {
      name: 'exec stream 1 MiB chunks: cat > file, then openssl dgst',
      run: async (file) => {
        await exec(`cat > ${remoteFile}`, createReadStream(file, { highWaterMark: 1 << 20 }));
        return last(await exec(`openssl dgst -sha256 ${remoteFile}`));
      },
    },
    {
      name: 'exec stream: tee file | sha256sum',
      run: async (file) =>
        (await exec(`tee ${remoteFile} | sha256sum`, createReadStream(file))).split(' ')[0] ?? '',
    },
    {
      name: 'exec stream: cat > file, then openssl dgst',
      run: async (file) => {
        await exec(`cat > ${remoteFile}`, createReadStream(file));
        return last(await exec(`openssl dgst -sha256 ${remoteFile}`));
      },
    },
    {
      name: 'sftp fastPut (node-ssh putFile), then openssl dgst',
      run: async (file) => {
        await ssh.putFile(file, remoteFile);
        return last(await exec(`openssl dgst -sha256 ${remoteFile}`));
      },
    },
    {
      name: 'sftp fastPut concurrency 128 x 64 KiB, then openssl dgst',
      run: async (file) => {
        await ssh.putFile(file, remoteFile, null, { concurrency: 128, chunkSize: 65536 });
        return last(await exec(`openssl dgst -sha256 ${remoteFile}`));
      },
    },
    {
      name: 'hash only on the server: openssl dgst (file already there)',
      run: async () => last(await exec(`openssl dgst -sha256 ${remoteFile}`)),
    },
    {
      name: 'hash only on the server: sha256sum (file already there)',
      run: async () => (await exec(`sha256sum ${remoteFile}`)).split(' ')[0] ?? '',
    },
  ];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-bench-'));
  const file = path.join(dir, 'artifact.tar.gz');
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
    console.log(`${SIZE / 1e6} MB, ${ROUNDS} rounds each, loopback, node ${process.version}`);
    const all = methods(session, ssh, server);
    const rates = await measure(all, file, expected);
    for (const [i, method] of all.entries()) {
      const sorted = [...rates[i]!].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      const best = sorted.at(-1)!;
      console.log(
        `${method.name.padEnd(60)} median ${median.toFixed(0)} MB/s, best ${best.toFixed(0)} MB/s`,
      );
    }
  } finally {
    ssh.dispose();
    await session.close();
    await env.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
