// From an approved PR to a confirmation prompt on real sshd servers, with a `path` artifact in a
// workspace checked out at the PR head: the set-up every /confirm test starts from.
import {
  ARTIFACT,
  buildWorkspace as buildFixtureWorkspace,
  checkout,
  requestText,
} from '../support/fixtures.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { issueCommentEvent, workflowDispatchEvent } from '../support/events.js';
import type { TestServer } from '../support/sshd.js';
import { REQUEST_PATH, repoWithConfig, run } from './scenario.js';
import { approveAll, configFor, type EnvironmentOverrides } from './servers-scenario.js';

export { ARTIFACT, checkout };

/** A .tar.gz with index.html and bin/health in a fresh workspace; returns its SHA-256. */
export function buildWorkspace(content = 'hello 1.4.2'): { workspace: string; sha256: string } {
  return buildFixtureWorkspace({ content });
}

export function deployRequest(sha256: string, variables = ''): string {
  return requestText({
    artifact: { path: ARTIFACT },
    sha256,
    reason: 'Roll out',
    extra: variables,
  });
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
