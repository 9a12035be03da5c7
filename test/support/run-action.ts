// Runs the bundled action (dist/index.js) the way the GitHub runner does: a fresh node process
// with the runner's environment, the event payload in a file, inputs as INPUT_<NAME>, and the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV files read back afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHubStandIn, Permissions } from './github-stand-in/index.js';
import {
  parseCommandFile,
  parseWorkflowCommands,
  type Annotation,
} from './github-stand-in/runner-protocol.js';
import { REPO_ROOT } from './repo-root.js';
import { EXAMPLE_WORKFLOW, jobPermissions } from './workflow.js';

export { parseCommandFile, REPO_ROOT, type Annotation };

export interface RunActionOptions {
  eventName: string;
  payload: object;
  /** Action inputs by their action.yml name (`github-token`, `ssh-private-key`…); undefined unsets. */
  inputs?: Record<string, string | undefined>;
  /** Extra environment (applied last; undefined unsets). */
  env?: Record<string, string | undefined>;
  /** The stand-in: gives GITHUB_API_URL, the default token, and GITHUB_SHA of refs. */
  gh?: GitHubStandIn;
  /** GITHUB_WORKSPACE and the process's cwd (default: a fresh temp directory). */
  cwd?: string;
  /** GITHUB_WORKFLOW_REF; default `<owner/repo>/<workflowFile>@<GITHUB_REF>`. */
  workflowRef?: string;
  /** Workflow file used for the default GITHUB_WORKFLOW_REF (default `.github/workflows/deploy-request.yml`). */
  workflowFile?: string;
  /**
   * The workflow whose job for this event gives the token its permissions (default: the shipped
   * docs/examples/workflows/deploy-request.yml). Fork PR runs get every scope read, as on GitHub.
   */
  workflow?: string;
  /** Exact token permissions instead (negative permission tests only). */
  permissions?: Permissions;
  runId?: number;
  runAttempt?: number;
  /** Kill the process after this long (default 60 s). */
  timeoutMs?: number;
  /** Script to run (default `<repo>/dist/index.js`). */
  entry?: string;
  /** Keep the temp directory (event file, output files) for inspection. */
  keepTemp?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
  /** `::error`/`::warning`/`::notice` workflow commands from stdout. */
  annotations: Annotation[];
  /** Values the action asked to mask (`::add-mask::`). */
  masks: string[];
  /** What the action wrote to GITHUB_STATE and GITHUB_ENV. */
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  /** The environment the process was given. */
  env: Record<string, string>;
  /** The permissions of the run's GITHUB_TOKEN (empty without a stand-in). */
  permissions: Permissions;
  tempDir: string;
}

const INPUT_DEFAULTS: Record<string, string> = {
  'config-path': '.github/deploy-request.yml',
  'command-prefix': '/',
};

let runCounter = 0;

/** `INPUT_<NAME>`: uppercased, spaces to `_`, hyphens kept (as the runner does). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

interface RefInfo {
  ref: string;
  sha: string;
  headRef?: string;
  baseRef?: string;
}

// What GITHUB_REF / GITHUB_SHA are for each event (pull request runs use the merge ref).
function refInfo(o: RunActionOptions): RefInfo {
  const p = o.payload as {
    pull_request?: {
      number: number;
      head: { sha: string; ref: string; repo: unknown };
      base: { ref: string };
    };
    ref?: string;
    repository?: { default_branch?: string };
  };
  const gh = o.gh;
  if ((o.eventName === 'pull_request' || o.eventName === 'pull_request_review') && p.pull_request) {
    const pr = p.pull_request;
    return {
      ref: `refs/pull/${pr.number}/merge`,
      // A merged PR's `closed` run is on its merge commit; others on refs/pull/<n>/merge.
      sha: gh ? (gh.pull(pr.number).mergeCommitSha ?? gh.mergeRefSha(pr.number)) : pr.head.sha,
      headRef: pr.head.ref,
      baseRef: pr.base.ref,
    };
  }
  const ref =
    o.eventName === 'workflow_dispatch' && p.ref
      ? p.ref
      : `refs/heads/${gh?.defaultBranch ?? p.repository?.default_branch ?? 'main'}`;
  return { ref, sha: gh?.state.git.resolve(ref) ?? '0'.repeat(40) };
}

function isForkPull(o: RunActionOptions): boolean {
  const p = o.payload as {
    pull_request?: { head: { repo: { full_name?: string } | null } };
    repository?: { full_name?: string };
  };
  if (!p.pull_request || (o.eventName !== 'pull_request' && o.eventName !== 'pull_request_review'))
    return false;
  return p.pull_request.head.repo?.full_name !== p.repository?.full_name;
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|STATE_|VITEST)/.test(k)) continue;
    if (k === 'CI' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return env;
}

export async function runAction(o: RunActionOptions): Promise<RunResult> {
  const entry = o.entry ?? join(REPO_ROOT, 'dist', 'index.js');
  if (!existsSync(entry))
    throw new Error(`run-action: ${entry} not found; run \`npm run build\` first`);
  const p = o.payload as {
    repository?: { full_name?: string; id?: number; owner?: { id?: number } };
    sender?: { login?: string };
  };
  const repository = o.gh?.fullName ?? p.repository?.full_name;
  if (!repository)
    throw new Error('run-action: no repository (pass gh, or a payload with repository)');
  const apiUrl = o.gh?.url ?? o.env?.GITHUB_API_URL;
  if (!apiUrl) throw new Error('run-action: no API URL (pass gh, or env.GITHUB_API_URL)');

  const tempDir = await mkdtemp(join(tmpdir(), 'deploy-request-run-'));
  const workspace = o.cwd ?? join(tempDir, 'workspace');
  const runnerTemp = join(tempDir, 'runner-temp');
  await Promise.all([
    mkdir(workspace, { recursive: true }),
    mkdir(runnerTemp),
    mkdir(join(tempDir, 'tool-cache')),
  ]);
  const files = {
    event: join(tempDir, 'event.json'),
    output: join(tempDir, 'output'),
    summary: join(tempDir, 'step-summary.md'),
    state: join(tempDir, 'state'),
    env: join(tempDir, 'env'),
    path: join(tempDir, 'path'),
  };
  await writeFile(files.event, JSON.stringify(o.payload, null, 2));
  await Promise.all(
    [files.output, files.summary, files.state, files.env, files.path].map((f) => writeFile(f, '')),
  );

  const { ref, sha, headRef, baseRef } = refInfo(o);
  const runId = o.runId ?? 9_000_000_000 + ++runCounter;
  const owner = repository.split('/')[0] as string;
  const actor = p.sender?.login ?? owner;
  const workflowFile = o.workflowFile ?? '.github/workflows/deploy-request.yml';
  const env: Record<string, string | undefined> = {
    ...baseEnv(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__run',
    GITHUB_ACTOR: actor,
    GITHUB_ACTOR_ID: String(o.gh?.state.user(actor).id ?? 1),
    GITHUB_TRIGGERING_ACTOR: actor,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: o.gh?.state.webUrl ?? 'https://github.com',
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_ID: String(p.repository?.id ?? o.gh?.state.repoId ?? 1),
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_REPOSITORY_OWNER_ID: String(p.repository?.owner?.id ?? 1),
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_SHA: sha,
    GITHUB_HEAD_REF: headRef ?? '',
    GITHUB_BASE_REF: baseRef ?? '',
    GITHUB_WORKFLOW: 'Deploy request',
    GITHUB_WORKFLOW_REF: o.workflowRef ?? `${repository}/${workflowFile}@${ref}`,
    GITHUB_WORKFLOW_SHA: sha,
    GITHUB_JOB: 'deploy-request',
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: String(runCounter),
    GITHUB_RUN_ATTEMPT: String(o.runAttempt ?? 1),
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(tempDir, 'tool-cache'),
  };
  // The token of the job that handles this event in the documented workflow (a fork PR run gets
  // every scope downgraded to read, GitHub's rule), unless the test sets exact permissions.
  const permissions: Permissions = o.gh
    ? (o.permissions ?? jobPermissions(o.workflow ?? EXAMPLE_WORKFLOW, o.eventName, isForkPull(o)))
    : {};
  const token = o.gh ? o.gh.tokenFor(permissions) : '';
  const inputs = { 'github-token': token, ...INPUT_DEFAULTS, ...(o.inputs ?? {}) };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  Object.assign(env, o.env ?? {});
  const finalEnv = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );

  const started = performance.now();
  const child = spawn(process.execPath, [entry], {
    cwd: workspace,
    env: finalEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const timeoutMs = o.timeoutMs ?? 60_000;
  const watchdog = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    },
  ).finally(() => clearTimeout(watchdog));
  const durationMs = Math.round(performance.now() - started);

  const out = Buffer.concat(stdout).toString('utf8');
  const [outputText, summary, stateText, envText] = await Promise.all(
    [files.output, files.summary, files.state, files.env].map((f) => readFile(f, 'utf8')),
  );
  if (!o.keepTemp) {
    await rm(tempDir, { recursive: true, force: true });
  }
  return {
    code,
    signal,
    stdout: out,
    stderr:
      Buffer.concat(stderr).toString('utf8') +
      (signal === 'SIGKILL' ? `\n[run-action: killed after ${timeoutMs} ms]` : ''),
    outputs: parseCommandFile(outputText as string),
    summary: summary as string,
    durationMs,
    ...parseWorkflowCommands(out),
    state: parseCommandFile(stateText as string),
    exportedEnv: parseCommandFile(envText as string),
    env: finalEnv,
    permissions,
    tempDir,
  };
}
