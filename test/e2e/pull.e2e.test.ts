// deploy.transfer: pull through dist/index.js on real sshd servers: the servers download a
// release asset themselves from GitHub's short-lived signed link (the stand-in's HTTPS asset
// host) and verify its sha256; the runner downloads nothing, and no token reaches a server (a
// recording login shell keeps every script sent and each session's environment).
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCommentEvent, workflowDispatchEvent } from '../support/events.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { startSshServers, type SshServers } from '../support/sshd.js';
import { testTls, type TestTls } from '../support/test-tls.js';
import { DEPLOY_DEFAULTS } from './deploy-scenario.js';
import { REQUEST_PATH, repoWithConfig, run } from './scenario.js';
import { approveAll, configFor } from './servers-scenario.js';

const SEEN = '.scripts-seen';
const ENV_SEEN = '.env-seen';

/** A login shell that keeps what it is given on stdin and its environment, then runs it. */
function recordingShell(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dr-rec-shell-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'rec-sh');
  writeFileSync(file, `#!/bin/sh\nenv >> "$HOME/${ENV_SEEN}"\ntee -a "$HOME/${SEEN}" | sh -s\n`, {
    mode: 0o755,
  });
  return file;
}

let fleet: SshServers;
let tls: TestTls;
beforeAll(async () => {
  tls = await testTls();
  const shell = recordingShell();
  fleet = await startSshServers(2, {
    namePrefix: 'pulle2e',
    setEnv: () => tls.clientEnv,
    loginShells: [shell, shell],
  });
});
afterAll(async () => {
  await fleet?.stop();
});

function artifact(): { bytes: Buffer; sha256: string } {
  const src = mkdtempSync(join(tmpdir(), 'dr-pull-src-'));
  mkdirSync(join(src, 'bin'));
  writeFileSync(join(src, 'index.html'), 'pulled 1.4.2');
  writeFileSync(join(src, 'bin/health'), '#!/bin/sh\ntest -f "$RELEASE_DIR/index.html"\n', {
    mode: 0o755,
  });
  const file = join(src, '..', `${src.split('/').pop()}.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  const bytes = readFileSync(file);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function requestFile(artifactYaml: string, sha256: string): string {
  return `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n${artifactYaml}  sha256: ${sha256}\nreason: Roll out\n`;
}

async function prompt(gh: GitHubStandIn, request: string, key: string) {
  const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: request } });
  approveAll(gh, number);
  const result = await run(gh, {
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
    inputs: { 'ssh-private-key': key },
  });
  return { number, result };
}

describe('deploy.transfer: pull (e2e, real sshd, dist/index.js)', () => {
  it('a release asset: checks pass, /confirm deploys on 2 servers that fetch the signed link themselves; no token on any server', async () => {
    const { servers, clientKey } = fleet;
    const { bytes, sha256 } = artifact();
    const config = configFor(servers, { deploy: { ...DEPLOY_DEFAULTS, transfer: 'pull' } });
    const gh = await repoWithConfig(config, { assetHostTls: tls });
    gh.createRelease('v1.4.2', { assets: { 'web.tar.gz': bytes } });
    const request = requestFile('  release_asset: { tag: v1.4.2, name: web.tar.gz }\n', sha256);
    const { number, result: prompted } = await prompt(gh, request, clientKey.privateKey);
    expect(prompted.outputs.phase, prompted.stdout).toBe('awaiting-confirmation');
    expect(prompted.stdout).toContain('artifact URL reachable (transfer: pull)');
    const checkCalls = (await gh.assetHostCalls()).length;

    const workspace = mkdtempSync(join(tmpdir(), 'dr-ws-'));
    const id = gh.comment(number, 'dev', `/confirm ${prompted.outputs.digest}`);
    const confirmed = await run(gh, {
      eventName: 'issue_comment',
      payload: issueCommentEvent(gh, 'created', id),
      inputs: { 'ssh-private-key': clientKey.privateKey },
      cwd: workspace,
    });
    expect(confirmed.outputs.phase, confirmed.stdout).toBe('deployed');
    expect(confirmed.outputs.result).toBe('2/2 servers deployed');
    expect(confirmed.stdout).toContain(
      'Pull mode: each server downloads release asset web.tar.gz of v1.4.2',
    );
    expect(confirmed.stdout).not.toContain('X-Amz-Signature');
    // Exactly one full download per server, none by the runner, never with a token.
    const downloads = (await gh.assetHostCalls()).slice(checkCalls);
    expect(downloads).toEqual(
      servers.map(() =>
        expect.objectContaining({ authorization: null, status: 200, bytesSent: bytes.length }),
      ),
    );
    const tokens = new Set(
      gh
        .calls({})
        .map((c) => c.token)
        .filter((t): t is string => Boolean(t)),
    );
    expect(tokens.size).toBeGreaterThan(0);
    for (const server of servers) {
      const release = join(server.home, 'app/current');
      expect(readFileSync(join(release, 'index.html'), 'utf8')).toBe('pulled 1.4.2');
      const scripts = readFileSync(join(server.home, SEEN), 'utf8');
      const environment = readFileSync(join(server.home, ENV_SEEN), 'utf8');
      // The signed link went in as one single-quoted assignment; the token went nowhere.
      expect(scripts).toMatch(
        /_dr_url='https:\/\/127\.0\.0\.2:\d+\/github-production-release-asset\/[^']+X-Amz-Signature=[0-9a-f]{64}[^']*'\n/,
      );
      for (const token of tokens) {
        expect(scripts).not.toContain(token);
        expect(environment).not.toContain(token);
      }
    }
  });

  it('an artifact.url the servers cannot reach fails the checks with a hint; nothing is prompted', async () => {
    const { servers, clientKey } = fleet;
    const config = configFor(servers.slice(0, 1), {
      deploy: { ...DEPLOY_DEFAULTS, transfer: 'pull' },
    });
    const gh = await repoWithConfig(config);
    const request = requestFile('  url: https://127.0.0.1:1/web.tar.gz\n', 'a'.repeat(64));
    const { result } = await prompt(gh, request, clientKey.privateKey);
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.stdout).toMatch(
      /FAIL artifact URL reachable \(transfer: pull\): not reachable from the server \(curl exit 7: .*\): check its DNS, firewall or proxy for this host, or set `deploy.transfer: push`/,
    );
  });
});
