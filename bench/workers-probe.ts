// Does the runner's one JavaScript thread limit uploads to many servers? N local sshd servers
// each receive the same incompressible file on an exec channel (`cat >/dev/null`), from one
// thread owning every connection or from W worker threads owning a share each, per cipher.
// ssh2 runs as the action ships it (bundled, without its optional native crypto binding).
// Not a test. Run as root (it starts sshd for test users):
//   node <esbuild of this file, as scripts/build.mjs bundles> ; env N, MIB, ROUNDS, WORKERS, CIPHERS
// A CPU profile of the one-thread uploads alone (not the setup): PROFILE=/tmp/x.cpuprofile node <bundle>
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'ssh2';
import { startSshServers } from '../test/support/sshd.js';

interface Target {
  host: string;
  port: number;
  user: string;
}
interface Job {
  targets: Target[];
  key: string;
  file: string;
  cipher: string;
}

function upload(target: Target, job: Job): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.exec('cat >/dev/null', (error, channel) => {
          if (error) return reject(error);
          channel.on('close', () => {
            client.end();
            resolve();
          });
          channel.resume();
          createReadStream(job.file, { highWaterMark: 1 << 20 }).pipe(channel);
        });
      })
      .on('error', reject)
      .connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: job.key,
        hostVerifier: () => true,
        algorithms: { cipher: [job.cipher as never], compress: ['none'] },
      });
  });
}

const runJob = (job: Job) => Promise.all(job.targets.map((t) => upload(t, job)));

if (!isMainThread) {
  await runJob(workerData as Job);
  parentPort!.postMessage('done');
} else {
  const N = Number(process.env.N ?? 8);
  const MIB = Number(process.env.MIB ?? 64);
  const ROUNDS = Number(process.env.ROUNDS ?? 3);
  const WORKERS = Number(process.env.WORKERS ?? 2);
  const ciphers = (process.env.CIPHERS ?? 'aes128-gcm@openssh.com,chacha20-poly1305@openssh.com')
    .split(',')
    .filter(Boolean);
  const env = await startSshServers(N, { namePrefix: 'probe' });
  const file = path.join(os.tmpdir(), `dr-workers-${process.pid}.bin`);
  await writeFile(file, randomBytes(MIB << 20));
  const targets = env.servers.map((s) => ({ host: s.host, port: s.port, user: s.user }));
  const self = fileURLToPath(import.meta.url);
  const inWorkers = (job: Job) =>
    Promise.all(
      Array.from({ length: WORKERS }, (_, w) => {
        const share = job.targets.filter((_t, i) => i % WORKERS === w);
        const worker = new Worker(self, { workerData: { ...job, targets: share } });
        return new Promise((resolve, reject) =>
          worker.once('message', resolve).once('error', reject),
        );
      }),
    );
  const modes: Record<string, (job: Job) => Promise<unknown>> = process.env.PROFILE
    ? { '1 thread': runJob }
    : { '1 thread': runJob, [`${WORKERS} workers`]: inWorkers };
  const profiler = process.env.PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const rows: Array<{ mode: string; cipher: string; wall: number[]; cpu: number[] }> = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const cipher of ciphers) {
        for (const [mode, go] of Object.entries(modes)) {
          let row = rows.find((r) => r.mode === mode && r.cipher === cipher);
          if (!row) rows.push((row = { mode, cipher, wall: [], cpu: [] }));
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await go({ targets, key: env.clientKey.privateKey, file, cipher });
          const used = process.cpuUsage(c0);
          row.wall.push((performance.now() - t0) / 1000);
          row.cpu.push((used.user + used.system) / 1e6);
        }
      }
    }
  } finally {
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(process.env.PROFILE!, JSON.stringify(profile));
    }
    await env.stop();
    await rm(file, { force: true });
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.log(
    `N=${N}, ${MIB} MiB each (${N * MIB} MiB sent), medians of ${ROUNDS}, ${os.cpus().length} cores:`,
  );
  for (const r of rows) {
    const wall = median(r.wall);
    console.log(
      `  ${r.mode.padEnd(10)} ${r.cipher.padEnd(30)} ${wall.toFixed(2)} s wall  ${median(r.cpu).toFixed(2)} s runner CPU  ${((N * MIB) / wall).toFixed(0)} MiB/s`,
    );
  }
}
