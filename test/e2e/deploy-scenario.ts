// From an approved PR to a confirmation prompt on real sshd servers, with a `path` artifact in a
// workspace checked out at the PR head: the set-up every /confirm test starts from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { issueCommentEvent, workflowDispatchEvent } from '../support/events.js';
import type { TestServer } from '../support/sshd.js';
import { REQUEST_PATH, repoWithConfig, run } from './scenario.js';
import { approveAll, configFor, type EnvironmentOverrides } from './servers-scenario.js';

export const ARTIFACT = 'build/web.tar.gz';

/** A .tar.gz with index.html and bin/health in a fresh workspace; returns its SHA-256. */
export function buildWorkspace(content = 'hello 1.4.2'): { workspace: string; sha256: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'dr-ws-'));
  const src = join(workspace, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'index.html'), content);
  writeFileSync(join(src, 'bin/health'), '#!/bin/sh\ntest -f "$RELEASE_DIR/index.html"\n', {
    mode: 0o755,
  });
  mkdirSync(join(workspace, 'build'));
  execFileSync('tar', ['-czf', join(workspace, ARTIFACT), '-C', src, '.']);
  const sha256 = createHash('sha256')
    .update(readFileSync(join(workspace, ARTIFACT)))
    .digest('hex');
  return { workspace, sha256 };
}

export function checkout(workspace: string, sha: string): void {
  mkdirSync(join(workspace, '.git'), { recursive: true });
  writeFileSync(join(workspace, '.git/HEAD'), `${sha}\n`);
}

export function deployRequest(sha256: string, variables = ''): string {
  return `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  path: ${ARTIFACT}\n  sha256: ${sha256}\nreason: Roll out\n${variables}`;
}

export const DEPLOY_DEFAULTS = {
  activate: 'echo "$RELEASE $FEATURE_CHECKOUT" > "$HOME/activated"',
  health_check: { run: './bin/health', retries: 2, interval_s: 1 },
};

export interface Prompted {
  gh: GitHubStandIn;
  number: number;
  headSha: string;
  digest: string;
  workspace: string;
  key: string;
}

export async function promptedPull(
  servers: TestServer[],
  key: string,
  o: EnvironmentOverrides & { variables?: string } = {},
): Promise<Prompted> {
  const config = configFor(servers, { ...o, deploy: { ...DEPLOY_DEFAULTS, ...o.deploy } });
  const gh = await repoWithConfig(config);
  return promptRequest(gh, key, { variables: o.variables });
}

/** Opens one more request PR in `gh` (its own request file and artifact), approves, prompts. */
export async function promptRequest(
  gh: GitHubStandIn,
  key: string,
  o: { variables?: string; content?: string; file?: string } = {},
): Promise<Prompted> {
  const { workspace, sha256 } = buildWorkspace(o.content);
  const { number, headSha } = gh.openPull({
    author: 'dev',
    headFiles: { [o.file ?? REQUEST_PATH]: deployRequest(sha256, o.variables) },
  });
  approveAll(gh, number);
  checkout(workspace, headSha);
  const prompt = await run(gh, {
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
    inputs: { 'ssh-private-key': key },
  });
  if (prompt.outputs.phase !== 'awaiting-confirmation') {
    throw new Error(`expected a prompt, got ${prompt.outputs.phase}: ${prompt.stdout}`);
  }
  return { gh, number, headSha, digest: prompt.outputs.digest!, workspace, key };
}
/** Posts a comment as `user` and runs the action on it. */
export async function commentAndRun(
  p: Prompted,
  user: string,
  body: string,
  action: 'created' | 'edited' = 'created',
) {
  const id = p.gh.comment(p.number, user, body);
  return run(p.gh, {
    eventName: 'issue_comment',
    payload: issueCommentEvent(p.gh, action, id),
    inputs: { 'ssh-private-key': p.key },
    cwd: p.workspace,
  });
}
