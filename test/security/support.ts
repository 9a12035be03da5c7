// Shared helpers for the security suite (SPEC §4): every test drives the bundled action
// (dist/index.js) against the GitHub stand-in and real sshd servers, then inspects what reached
// the servers, GitHub and the logs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  closeSync,
  constants,
  openSync,
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { expect } from 'vitest';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../support/events.js';
import type { RunResult } from '../support/run-action.js';
import type { TestServer } from '../support/sshd.js';
import {
  ARTIFACT as ARTIFACT_PATH,
  buildWorkspace,
  checkout,
  deployRequest,
  DEPLOY_DEFAULTS,
} from '../e2e/deploy-scenario.js';
import { CONFIG_PATH, REQUEST_PATH, repoWithConfig, run, stickyOf } from '../e2e/scenario.js';
import { approveAll, configFor, type EnvironmentOverrides } from '../e2e/servers-scenario.js';

export {
  CONFIG_PATH,
  REQUEST_PATH,
  repoWithConfig,
  run,
  stickyOf,
  approveAll,
  configFor,
  deployRequest,
};
export { buildWorkspace, checkout, DEPLOY_DEFAULTS };
export { useSshServers, serverEntry, requestFor, SHA } from '../e2e/servers-scenario.js';
export { ARTIFACT } from '../e2e/deploy-scenario.js';
export type { EnvironmentOverrides, RunResult, TestServer, GitHubStandIn };

// --- servers ------------------------------------------------------------------------------------

function uidGid(server: TestServer): { uid: number; gid: number } {
  const st = statSync(server.home);
  return { uid: st.uid, gid: st.gid };
}

/**
 * Empties a server's home and installs `~/.ssh/rc`, which sshd runs for every session before the
 * command: each line of `~/.dr-logins` is one session, so "no line" proves no command ran at all.
 */
export function resetHome(server: TestServer): void {
  for (const entry of readdirSync(server.home)) {
    rmSync(join(server.home, entry), { recursive: true, force: true });
  }
  const ssh = join(server.home, '.ssh');
  mkdirSync(ssh);
  writeFileSync(join(ssh, 'rc'), 'echo "session $$" >> "$HOME/.dr-logins"\n', { mode: 0o755 });
  const { uid, gid } = uidGid(server);
  chownSync(ssh, uid, gid);
  chownSync(join(ssh, 'rc'), uid, gid);
}

/** SSH sessions opened on the server since its last resetHome. */
export function sessions(server: TestServer): number {
  const file = join(server.home, '.dr-logins');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Names under <home>/<path>/releases (sorted; [] when absent). */
export function releases(server: TestServer, path = 'app'): string[] {
  const dir = join(server.home, path, 'releases');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Where <home>/<path>/current points (undefined when absent). */
export function currentOf(server: TestServer, path = 'app'): string | undefined {
  const link = join(server.home, path, 'current');
  try {
    return lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'not a symlink';
  } catch {
    return undefined;
  }
}

export const OLD_RELEASE = '20200101T000000Z-0123456789ab';

/** A complete earlier release with `current` pointing at it, as a previous deployment leaves. */
export function seedRelease(server: TestServer, path = 'app'): void {
  const dir = join(server.home, path, 'releases', OLD_RELEASE);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'hello 1.4.1');
  writeFileSync(join(dir, '.deploy-request.json'), '{"release":"1.4.1"}\n');
  writeFileSync(join(dir, 'bin/health'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  symlinkSync(`releases/${OLD_RELEASE}`, join(server.home, path, 'current'));
  const { uid, gid } = uidGid(server);
  execFileSync('chown', ['-R', `${uid}:${gid}`, join(server.home, path)]);
}

/**
 * `current` points at a complete release: this deployment's (with its metadata) or the one before.
 * Returns the release name.
 */
export function expectCompleteCurrent(server: TestServer, path = 'app'): string {
  const current = currentOf(server, path);
  expect(current, `${server.name}: current`).toMatch(/^releases\/\d{8}T\d{6}Z-[0-9a-f]{12}$/);
  const dir = join(server.home, path, current!);
  expect(existsSync(join(dir, 'index.html')), `${server.name}: ${current} has index.html`).toBe(
    true,
  );
  expect(existsSync(join(dir, '.deploy-request.json')), `${server.name}: metadata`).toBe(true);
  return current!.slice('releases/'.length);
}

/** A named pipe the server user can open (created by root in its home). */
export function fifo(server: TestServer, name: string): string {
  const file = join(server.home, name);
  execFileSync('mkfifo', ['-m', '0666', file]);
  const { uid, gid } = uidGid(server);
  chownSync(file, uid, gid);
  chmodSync(file, 0o666);
  return file;
}

/**
 * Resolves once the blocking hook announced itself on the `started` fifo; throws if the run ended
 * first (and unblocks the pending read so that no thread stays stuck on the fifo).
 */
export async function untilStarted(started: string, running: Promise<RunResult>): Promise<void> {
  const announced = readFile(started).then(() => undefined);
  const finished = await Promise.race([announced, running]);
  if (finished) {
    closeSync(openSync(started, constants.O_WRONLY | constants.O_NONBLOCK));
    await announced;
    throw new Error(
      `the run ended before the hook started: ${finished.outputs.phase}\n${finished.stdout}`,
    );
  }
}

/**
 * A before_activate hook that, only where `$HOME/<name>.go` exists as a fifo, announces itself on
 * `<name>.started` and blocks until the test writes to `<name>.go` (or kills the server).
 */
export function blockingHook(name: string): string {
  return `if [ -p "$HOME/${name}.go" ]; then echo started > "$HOME/${name}.started"; cat "$HOME/${name}.go" >/dev/null; rm -f "$HOME/${name}.go" "$HOME/${name}.started"; fi`;
}

/**
 * A workspace whose build/web.tar.gz holds what `fill` puts in its source directory (plus the
 * bin/health the e2e config runs); returns the workspace and the archive's SHA-256.
 */
export function buildArtifact(fill: (src: string) => void): { workspace: string; sha256: string } {
  const built = buildWorkspace();
  const src = join(built.workspace, 'src');
  fill(src);
  execFileSync('tar', ['-czf', join(built.workspace, ARTIFACT_PATH), '-C', src, '.']);
  return { workspace: built.workspace, sha256: sha256Of(join(built.workspace, ARTIFACT_PATH)) };
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

// --- GitHub -------------------------------------------------------------------------------------

export const LOCK_REF = 'refs/heads/deploy-request/lock/staging';

export function lockRefs(gh: GitHubStandIn): string[] {
  return Object.keys(gh.refs()).filter((r) => r.includes('deploy-request/lock'));
}

export function lastReply(gh: GitHubStandIn, pr: number): string {
  return gh.comments(pr).at(-1)?.body ?? '';
}

/** The workflow_dispatch hand-over run (trusted: default branch, SSH key). */
export function dispatch(
  gh: GitHubStandIn,
  number: number,
  key: string,
  extra: { cwd?: string; inputs?: Record<string, string | undefined>; ref?: string } = {},
) {
  return run(gh, {
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, {
      inputs: { 'pull-request': String(number) },
      ...(extra.ref ? { ref: extra.ref } : {}),
    }),
    inputs: { 'ssh-private-key': key, ...extra.inputs },
    cwd: extra.cwd,
  });
}

/** A pull_request run (the gate: PR context, no SSH key). */
export function gate(
  gh: GitHubStandIn,
  number: number,
  action: 'opened' | 'synchronize' | 'edited' = 'opened',
  inputs: Record<string, string | undefined> = {},
) {
  return run(gh, {
    eventName: 'pull_request',
    payload: pullRequestEvent(gh, action, number),
    inputs,
  });
}

/** A pull_request_review submitted run for review `reviewId`. */
export function reviewRun(
  gh: GitHubStandIn,
  number: number,
  reviewId: number,
  inputs: Record<string, string | undefined> = {},
) {
  return run(gh, {
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, reviewId),
    inputs,
  });
}

/** Posts a comment and runs the action on it (optionally as an edit of it). */
export function comment(
  gh: GitHubStandIn,
  number: number,
  user: string,
  body: string,
  o: {
    key: string;
    cwd?: string;
    action?: 'created' | 'edited';
    inputs?: Record<string, string | undefined>;
    workflowRef?: string;
  },
) {
  const id = gh.comment(number, user, body);
  return run(gh, {
    eventName: 'issue_comment',
    payload: issueCommentEvent(gh, o.action ?? 'created', id),
    inputs: { 'ssh-private-key': o.key, ...o.inputs },
    cwd: o.cwd,
    workflowRef: o.workflowRef,
  });
}

// --- a request on real servers --------------------------------------------------------------------

export interface Flow {
  gh: GitHubStandIn;
  number: number;
  headSha: string;
  workspace: string;
  key: string;
  /** Runs the action on a new comment by `user` (trusted issue_comment run). */
  say(
    user: string,
    body: string,
    o?: { action?: 'created' | 'edited'; inputs?: Record<string, string | undefined> },
  ): Promise<RunResult>;
  /** The hand-over run (workflow_dispatch). */
  dispatch(inputs?: Record<string, string | undefined>): Promise<RunResult>;
  /** Lead and two of ops approve the current head. */
  approve(): void;
  /** Pushes a change to the PR and checks the new head out in the workspace. */
  push(files: Record<string, string | null>): string;
}

export interface FlowOptions extends EnvironmentOverrides {
  /** Extra lines of the request (e.g. `variables:`). */
  variables?: string;
  /** Files the PR adds besides the request. */
  extraFiles?: Record<string, string>;
  /** The stand-in to use (a second request on the same repository). */
  gh?: GitHubStandIn;
  author?: string;
  requestPath?: string;
  approve?: boolean;
  /** Organisation teams (default: team-leads [tina], ops [olga, oscar, otto]). */
  teams?: Record<string, string[]>;
  /** A workspace built by buildArtifact (default: buildWorkspace's hello world). */
  built?: { workspace: string; sha256: string };
  /** Extra top-level config fields (e.g. `allow_self_approval`). */
  approval?: Record<string, unknown>;
  /** The PR's base branch (default: the default branch). */
  base?: string;
}

/** The base config of a flow: configFor with the e2e deploy defaults and approval overrides. */
export function flowConfig(servers: TestServer[], o: FlowOptions = {}): string {
  // `approval` here is merged into the default stages, not a replacement for them.
  const text = configFor(servers, {
    ...o,
    approval: undefined,
    deploy: { ...DEPLOY_DEFAULTS, ...o.deploy },
  });
  if (!o.approval) return text;
  const config = load(text) as { environments: { staging: { approval: object } } };
  Object.assign(config.environments.staging.approval, o.approval);
  return dump(config, { lineWidth: 200 });
}

/** A repository whose base config points at `servers`, and an open PR with a `path` artifact request. */
export async function openFlow(
  servers: TestServer[],
  key: string,
  o: FlowOptions = {},
): Promise<Flow> {
  const { workspace, sha256 } = o.built ?? buildWorkspace();
  const config = flowConfig(servers, o);
  const gh = o.gh ?? (await repoWithConfig(config, o.teams ? { teams: o.teams } : {}));
  const { number, headSha } = gh.openPull({
    author: o.author ?? 'dev',
    base: o.base,
    headFiles: {
      [o.requestPath ?? REQUEST_PATH]: deployRequest(sha256, o.variables),
      ...o.extraFiles,
    },
  });
  checkout(workspace, headSha);
  for (const [path, text] of Object.entries(o.extraFiles ?? {})) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  const flow: Flow = {
    gh,
    number,
    headSha,
    workspace,
    key,
    say: (user, body, s = {}) => comment(gh, number, user, body, { key, cwd: workspace, ...s }),
    dispatch: (inputs) => dispatch(gh, number, key, { cwd: workspace, inputs }),
    approve: () => approveAll(gh, number),
    push: (files) => {
      const sha = gh.push(number, files);
      flow.headSha = sha;
      checkout(workspace, sha);
      return sha;
    },
  };
  if (o.approve !== false) flow.approve();
  return flow;
}

/** openFlow, approved, then the hand-over run: returns the prompt's digest. */
export async function promptedFlow(
  servers: TestServer[],
  key: string,
  o: FlowOptions = {},
): Promise<Flow & { digest: string; deploymentId: number }> {
  const flow = await openFlow(servers, key, o);
  const prompt = await flow.dispatch();
  if (prompt.outputs.phase !== 'awaiting-confirmation') {
    throw new Error(`expected a prompt, got ${prompt.outputs.phase}: ${prompt.stdout}`);
  }
  return {
    ...flow,
    digest: prompt.outputs.digest!,
    deploymentId: Number(prompt.outputs['deployment-id']),
  };
}

// --- logs -----------------------------------------------------------------------------------------

/** What people can see: stdout/stderr without the `::add-mask::` commands the runner consumes. */
export function visible(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

const STACK_FRAME = /^\s+at .+(\.js|\.ts|\.mjs|\.cjs|native|<anonymous>)[:)]/m;

/** The run ended without printing a JavaScript stack trace. */
export function expectNoStackTrace(result: RunResult): void {
  expect(visible(result.stdout + result.stderr)).not.toMatch(STACK_FRAME);
  expect(result.stdout + result.stderr).not.toMatch(/unexpected error/i);
}

/** Everything a person or another system can read after some runs. */
export function everythingVisible(gh: GitHubStandIn, runs: RunResult[]): string {
  const s = gh.state;
  return [
    ...runs.flatMap((r) => [
      visible(r.stdout),
      visible(r.stderr),
      r.summary,
      JSON.stringify(r.outputs),
      JSON.stringify(r.exportedEnv),
      JSON.stringify(r.state),
    ]),
    ...s.comments.map((c) => c.body),
    ...s.statuses.map((st) => `${st.description ?? ''} ${st.targetUrl ?? ''}`),
    ...s.deployments.map((d) => `${JSON.stringify(d.payload)} ${d.description ?? ''}`),
    ...s.deploymentStatuses.map((d) => `${d.description ?? ''} ${d.logUrl ?? ''}`),
    ...s.dispatches.map((d) => JSON.stringify(d.inputs)),
    // Every request body the action sent to GitHub.
    ...s.log.map((c) => JSON.stringify(c.body ?? '')),
  ].join('\n');
}
