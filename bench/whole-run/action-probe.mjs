// Preloaded into the action process by the whole-run bench (NODE_OPTIONS=--import=<this file>).
// At exit it writes to BENCH_PROBE_FILE what the process itself cost: CPU seconds (user + system,
// all threads), peak RSS, and the bytes it wrote into TCP connections to the SSH ports listed in
// BENCH_SSH_PORTS: SSH framing, encryption and MACs included, the artifact's bytes among them. Counted
// on the runner side from each socket's own counter (net.Socket#bytesWritten), so neither a proxy
// nor the servers' processes are in the way. Plain JavaScript: loaded as is, never bundled.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { peakRssMiB } from '../lib/peak-rss.mjs';

const file = process.env.BENCH_PROBE_FILE;
const sshPorts = new Set(
  (process.env.BENCH_SSH_PORTS ?? '').split(',').filter(Boolean).map(Number),
);
/** Every socket that connected, with the port it connected to (gone once it is destroyed). */
const ports = new Map();

if (file) {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    this.once('connect', () => ports.set(this, this.remotePort));
    return connect.apply(this, args);
  };
  process.on('exit', () => {
    const usage = process.resourceUsage();
    let sshBytes = 0;
    let sshConnections = 0;
    for (const [socket, port] of ports) {
      if (!sshPorts.has(port)) continue;
      sshBytes += socket.bytesWritten ?? 0;
      sshConnections += 1;
    }
    const probe = {
      cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      maxRssMiB: peakRssMiB(),
      sshBytes,
      sshConnections,
    };
    writeFileSync(file, JSON.stringify(probe));
  });
}

// BENCH_CPU_PROF_DIR: a V8 CPU profile of the whole process (--cpu-prof is not allowed in
// NODE_OPTIONS); the main thread's inspector session answers synchronously, so 'exit' can stop it.
const profileDir = process.env.BENCH_CPU_PROF_DIR;
if (profileDir) {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        writeFileSync(
          `${profileDir}/${process.env.GITHUB_EVENT_NAME ?? 'run'}-${process.pid}.cpuprofile`,
          JSON.stringify(result.profile),
        );
      }
    });
  });
}

// BENCH_TRACE_FILE: a timeline of the run (ms since process start): each API request's start and
// end, each SSH connection's connect and close; shows what the run waits for, and in what order.
const traceFile = process.env.BENCH_TRACE_FILE;
if (traceFile) {
  const t = () => Math.round(performance.now());
  const events = [];
  const fetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : (input.url ?? String(input));
    const what = `${init?.method ?? input.method ?? 'GET'} ${new URL(url).pathname}`;
    const start = t();
    try {
      return await fetch(input, init);
    } finally {
      events.push([start, t(), what]);
    }
  };
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    const start = t();
    this.once('connect', () => {
      if (!sshPorts.has(this.remotePort)) return;
      const port = this.remotePort;
      this.once('close', () => events.push([start, t(), `ssh :${port}`]));
    });
    return connect.apply(this, args);
  };
  process.on('exit', () => {
    events.push([t(), t(), 'exit']);
    writeFileSync(
      `${traceFile}-${process.env.GITHUB_EVENT_NAME ?? 'run'}-${process.pid}.txt`,
      events
        .sort((a, b) => a[0] - b[0])
        .map(([a, b, what]) => `${String(a).padStart(6)} ${String(b).padStart(6)} ${what}`)
        .join('\n') + '\n',
    );
  });
}
