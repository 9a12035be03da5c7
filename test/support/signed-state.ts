// What a trusted run signs, made by a test with the same deployment key (the run's SSH key):
// to put a prompt or a later state in the stand-in as our own trusted run would have.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentState } from '../../src/github/port.js';
import { parsePrivateKey } from '../../src/ssh/private-key.js';
import { stateDescription, type PromptPayload } from '../../src/state/deployment-record.js';
import { openPrompt, type TrustedState } from '../../src/state/prompts.js';
import { stateSignerFor } from '../../src/state/state-signer.js';
import { createClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import type { GitHubStandIn } from './github-stand-in/index.js';

export function trustOf(gh: GitHubStandIn, privateKey: string): TrustedState {
  const key = parsePrivateKey(privateKey);
  if (!key.ok) throw new Error(key.message);
  return {
    signer: stateSignerFor(key, { owner: gh.owner, repo: gh.repo }),
    warn: () => undefined,
  };
}

/** A Deployment in `state`, signed as our trusted run signs it. */
export function setSignedState(
  gh: GitHubStandIn,
  trust: TrustedState,
  deploymentId: number,
  state: Exclude<DeploymentState, 'queued' | 'pending'>,
): void {
  gh.setDeploymentStatus(deploymentId, {
    state,
    description: stateDescription(trust.signer, deploymentId, state, state),
  });
}

/** A prompt (Deployment + signed queued status) as the trusted run opens it; returns its id. */
export async function seedPrompt(
  gh: GitHubStandIn,
  trust: TrustedState,
  o: { sha: string; environment?: string; payload: Partial<PromptPayload> & { pr: number } },
): Promise<number> {
  const port = createGitHubPort(createClient({ token: gh.tokens.write, baseUrl: gh.url }), {
    owner: gh.owner,
    repo: gh.repo,
  });
  return openPrompt(port, trust, {
    sha: o.sha,
    environment: o.environment ?? 'staging',
    payload: {
      requestFile: 'deploy-requests/web.yml',
      digest: 'd'.repeat(64),
      application: 'web',
      release: '1.0.0',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ...o.payload,
    },
    description: 'seeded',
  });
}

let testKey: string | undefined;
/** A throwaway OpenSSH ed25519 key (made once per test process) for runs that sign state only. */
export function testDeployKey(): string {
  if (testKey) return testKey;
  const dir = mkdtempSync(join(tmpdir(), 'dr-state-key-'));
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'state',
    '-f',
    join(dir, 'k'),
  ]);
  testKey = readFileSync(join(dir, 'k'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return testKey;
}
