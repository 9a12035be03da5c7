// Connect time with a passphrase-protected key: validate the input, then connect to N real sshd
// servers in parallel, the way a trusted run does (environment-step.ts: parsePrivateKey, then
// createSshConnector). Not part of `npm run bench`; needs root (test/support/sshd.ts). Run:
//   npx esbuild bench/encrypted-key.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=.tmp/encrypted-key.mjs && node .tmp/encrypted-key.mjs; rm -f .tmp/encrypted-key.mjs
//   BENCH_SERVERS=8 (N), BENCH_ROUNDS=5
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSshConnector } from '../src/ssh/connector.js';
import { parsePrivateKey } from '../src/ssh/private-key.js';
import { startSshServers } from '../test/support/sshd.js';

const N = Number(process.env.BENCH_SERVERS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PASSPHRASE = 'bench passphrase 7Yq!';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dr-bench-key-'));
const fleet = await startSshServers(N, { namePrefix: 'keybench' });
try {
  // The fleet's key pair, encrypted by ssh-keygen with its default KDF rounds (16 for OpenSSH).
  const ed25519 = path.join(dir, 'ed25519');
  writeFileSync(ed25519, fleet.clientKey.privateKey, { mode: 0o600 });
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', ed25519]);
  // An RSA key in the classic encrypted PEM format, added to every server's authorized_keys.
  const rsa = path.join(dir, 'rsa-pem');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'rsa',
    '-b',
    '3072',
    '-m',
    'PEM',
    '-N',
    PASSPHRASE,
    '-f',
    rsa,
  ]);
  for (const server of fleet.servers) {
    const authorized = path.join(path.dirname(server.hostKeyPath), 'authorized_keys');
    appendFileSync(authorized, readFileSync(`${rsa}.pub`, 'utf8'));
  }
  const cases = [
    { name: 'unencrypted OpenSSH ed25519', key: fleet.clientKey.privateKey, passphrase: undefined },
    {
      name: 'encrypted OpenSSH ed25519',
      key: readFileSync(ed25519, 'utf8'),
      passphrase: PASSPHRASE,
    },
    { name: 'encrypted PEM RSA 3072', key: readFileSync(rsa, 'utf8'), passphrase: PASSPHRASE },
  ];
  const servers = fleet.servers.map((s) => s.serverConfig());
  console.log(`${N} servers, ${ROUNDS} rounds (after one warm-up), node ${process.version}`);
  // Cases interleaved: each round decrypts its key afresh, as a run does (private-key.ts keeps
  // only the last key it parsed).
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      const parsed = parsePrivateKey(c.key, c.passphrase);
      if (!parsed.ok) throw new Error(parsed.message);
      const connector = createSshConnector({
        privateKey: parsed.key,
        passphrase: c.passphrase,
        servers,
      });
      const sessions = await Promise.all(servers.map((server) => connector.connect(server)));
      if (round > 0) times[i]!.push(performance.now() - started);
      await Promise.all(sessions.map((session) => session.close()));
    }
  }
  for (const [i, c] of cases.entries()) {
    const sorted = times[i]!.sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `${c.name.padEnd(28)} min ${sorted[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms`,
    );
  }
} finally {
  await fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
