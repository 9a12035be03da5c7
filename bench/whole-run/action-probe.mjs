// Preloaded into the action process by the whole-run bench (NODE_OPTIONS=--import=<this file>).
// At exit it writes to BENCH_PROBE_FILE what the process itself cost: CPU seconds (user + system,
// all threads), peak RSS, and the bytes it wrote into TCP connections to the SSH ports listed in
// BENCH_SSH_PORTS: SSH framing, encryption and MACs included, the artifact's bytes among them. Counted
// on the runner side from each socket's own counter (net.Socket#bytesWritten), so neither a proxy
// nor the servers' processes are in the way. Plain JavaScript: loaded as is, never bundled.
import { writeFileSync } from 'node:fs';
import net from 'node:net';

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
      maxRssMiB: usage.maxRSS / 1024,
      sshBytes,
      sshConnections,
    };
    writeFileSync(file, JSON.stringify(probe));
  });
}
