// SPEC §4 invariant 8: secrets (the SSH private key, its passphrase, the github token and the
// members token) never appear in stdout, stderr (except the `::add-mask::` commands the runner
// consumes), comments, statuses, Deployments, the job summary or outputs — in a full run from PR
// to deployed, and on the failure paths (bad key format, wrong passphrase, auth refused).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { workflowDispatchEvent } from '../support/events.js';
import {
  everythingVisible,
  expectNoStackTrace,
  gate,
  openFlow,
  resetHome,
  reviewRun,
  run,
  useSshServers,
  type GitHubStandIn,
  type RunResult,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const PASSPHRASE = 'pass phrase 9f3Kq!x';

/** The test key, re-encrypted with PASSPHRASE (same key pair, so the servers accept it). */
function encryptedKey(plain: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dr-key-')), 'id');
  writeFileSync(file, plain, { mode: 0o600 });
  // -a 2: few KDF rounds keep the test fast (ssh2 decrypts in JavaScript, on every parse).
  execFileSync('ssh-keygen', ['-q', '-p', '-a', '2', '-P', '', '-N', PASSPHRASE, '-f', file]);
  return readFileSync(file, 'utf8');
}

/** The secret strings to look for: every body line of the key, the passphrase, both tokens. */
function secretsOf(key: string, gh: GitHubStandIn): string[] {
  const keyLines = key
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
  expect(keyLines.length).toBeGreaterThan(2);
  return [...keyLines, PASSPHRASE, gh.tokens.write, gh.tokens.members];
}

function expectNoSecret(gh: GitHubStandIn, runs: RunResult[], secrets: string[]): void {
  const seen = everythingVisible(gh, runs);
  // Every token the stand-in knows, including each run's job token (runAction makes one per run).
  const tokens = [...gh.state.tokens.keys()];
  for (const secret of [...secrets, ...tokens])
    expect(seen, 'a secret leaked').not.toContain(secret);
  for (const r of runs) expectNoStackTrace(r);
}

describe('invariant 8: secrets never appear', () => {
  it('a full run from PR to deployed (every input set on every run) shows no secret, and masks them all', async () => {
    const { servers, clientKey } = fleet();
    const key = encryptedKey(clientKey.privateKey);
    const inputs = { 'ssh-private-key': key, 'ssh-passphrase': PASSPHRASE };
    const p = await openFlow(servers, key, { approve: false });
    const secrets = secretsOf(key, p.gh);
    const runs: RunResult[] = [];

    runs.push(await gate(p.gh, p.number, 'opened', inputs));
    p.gh.review(p.number, 'alice', 'APPROVED');
    p.gh.review(p.number, 'olga', 'APPROVED');
    const last = p.gh.review(p.number, 'oscar', 'APPROVED');
    runs.push(await reviewRun(p.gh, p.number, last, inputs));
    expect(runs.at(-1)!.outputs.phase).toBe('approved');
    const [handOver] = p.gh.dispatches();
    runs.push(
      await run(p.gh, {
        eventName: 'workflow_dispatch',
        payload: workflowDispatchEvent(p.gh, handOver!),
        inputs,
        cwd: p.workspace,
      }),
    );
    const digest = runs.at(-1)!.outputs.digest!;
    runs.push(await p.say('dev', `/confirm ${digest}`, { inputs }));
    expect(runs.at(-1)!.outputs.phase).toBe('deployed');

    expectNoSecret(p.gh, runs, secrets);
    for (const r of runs) {
      expect(r.masks).toEqual(
        expect.arrayContaining([PASSPHRASE, r.env['INPUT_GITHUB-TOKEN'], p.gh.tokens.members]),
      );
      expect(r.masks).toEqual(expect.arrayContaining(secrets.slice(0, -3)));
    }
  });

  it('failure paths: a damaged key, a wrong passphrase and a key the server refuses show no secret', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const runs: RunResult[] = [];
    const secrets = secretsOf(encryptedKey(clientKey.privateKey), p.gh);

    // A damaged key: its body lines are still secret.
    const damagedLine = randomBytes(48).toString('base64');
    const damaged = `-----BEGIN OPENSSH PRIVATE KEY-----\n${damagedLine}\n${damagedLine.slice(8)}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const bad = await p.dispatch({ 'ssh-private-key': damaged });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^::error::Input `ssh-private-key`: /m);
    runs.push(bad);
    secrets.push(damagedLine, damagedLine.slice(8));

    // The right key with a wrong passphrase: neither may show.
    const encrypted = encryptedKey(clientKey.privateKey);
    const wrongPassphrase = 'wrong phrase 7Zq@p';
    const wrong = await p.dispatch({
      'ssh-private-key': encrypted,
      'ssh-passphrase': wrongPassphrase,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/the passphrase \(ssh-passphrase\) is wrong/);
    runs.push(wrong);
    secrets.push(wrongPassphrase, ...secretsOf(encrypted, p.gh));

    // A valid key the server does not accept.
    const dir = mkdtempSync(join(tmpdir(), 'dr-key-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    const stranger = readFileSync(join(dir, 'id'), 'utf8');
    const refused = await p.dispatch({ 'ssh-private-key': stranger });
    expect(refused.outputs.phase).toBe('checks-failed');
    expect(refused.stdout).toMatch(/refused key authentication for user dr-test-\d+ \(key SHA256:/);
    runs.push(refused);
    secrets.push(...secretsOf(stranger, p.gh));

    expectNoSecret(p.gh, runs, secrets);
  });
});
