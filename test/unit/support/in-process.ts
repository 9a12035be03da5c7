// Runs the action's `run()` (src/main.ts) inside the test process, so v8 coverage sees src/.
// The environment is what the runner gives (as test/support/run-action.ts does for dist/index.js):
// inputs as INPUT_<NAME>, the event in a file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY read back.
// stdout is captured (workflow commands: annotations, masks) and process.exitCode restored.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { run } from '../../../src/main.js';
import type { GitHubStandIn, Permissions } from '../../support/github-stand-in/index.js';
import {
  parseCommandFile,
  parseWorkflowCommands,
  type Annotation,
} from '../../support/github-stand-in/runner-protocol.js';
import { inputEnvName } from '../../support/run-action.js';
import { EXAMPLE_WORKFLOW, jobPermissions } from '../../support/workflow.js';

export interface InProcessOptions {
  gh: GitHubStandIn;
  eventName: string;
  payload: object;
  /** Action inputs by their action.yml name; undefined unsets. Defaults: write token, members token. */
  inputs?: Record<string, string | undefined>;
  /** Extra environment (applied last; undefined unsets). */
  env?: Record<string, string | undefined>;
  /** GITHUB_WORKSPACE (default: a fresh temp directory). */
  workspace?: string;
  /** GITHUB_WORKFLOW_REF (default `<repo>/.github/workflows/deploy.yml@<GITHUB_REF>`). */
  workflowRef?: string;
}

export interface InProcessResult {
  /** process.exitCode after the run (1 when core.setFailed was called). */
  exitCode: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  masks: string[];
}

// @actions/core caches the summary file's path on first use: one file per test process.
const SUMMARY_FILE = join(tmpdir(), `dr-unit-summary-${process.pid}.md`);

function refOf(o: InProcessOptions): string {
  const p = o.payload as { pull_request?: { number: number }; ref?: string };
  if ((o.eventName === 'pull_request' || o.eventName === 'pull_request_review') && p.pull_request)
    return `refs/pull/${p.pull_request.number}/merge`;
  if (o.eventName === 'workflow_dispatch' && p.ref) return p.ref;
  return `refs/heads/${o.gh.defaultBranch}`;
}

export async function runInProcess(o: InProcessOptions): Promise<InProcessResult> {
  const temp = await mkdtemp(join(tmpdir(), 'dr-unit-run-'));
  const workspace = o.workspace ?? join(temp, 'workspace');
  await mkdir(workspace, { recursive: true });
  const eventFile = join(temp, 'event.json');
  const outputFile = join(temp, 'output');
  await writeFile(eventFile, JSON.stringify(o.payload));
  await writeFile(outputFile, '');
  await writeFile(SUMMARY_FILE, '');
  const ref = refOf(o);
  const repository = o.gh.fullName;
  const env: Record<string, string | undefined> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: o.gh.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: repository,
    GITHUB_REF: ref,
    GITHUB_SHA: o.gh.state.git.resolve(ref) ?? '0'.repeat(40),
    GITHUB_WORKFLOW_REF: o.workflowRef ?? `${repository}/.github/workflows/deploy.yml@${ref}`,
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: SUMMARY_FILE,
    RUNNER_TEMP: temp,
  };
  const inputs: Record<string, string | undefined> = {
    // The permissions of the job that handles the event in the shipped workflow, as runAction.
    'github-token': o.gh.tokenFor(permissionsOf(o)),
    'members-token': o.gh.tokens.members,
    ...o.inputs,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  Object.assign(env, o.env);

  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (/^(GITHUB_|INPUT_|RUNNER_)/.test(key) || key === 'DEBUG') delete process.env[key];
  }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  });
  const exitBefore = process.exitCode;
  process.exitCode = 0;
  let exitCode = 0;
  try {
    await run();
  } finally {
    exitCode = Number(process.exitCode ?? 0);
    process.exitCode = exitBefore;
    write.mockRestore();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  const stdout = chunks.join('');
  const [outputText, summary] = await Promise.all([
    readFile(outputFile, 'utf8'),
    readFile(SUMMARY_FILE, 'utf8'),
  ]);
  await rm(temp, { recursive: true, force: true });
  return {
    exitCode,
    stdout,
    outputs: parseCommandFile(outputText),
    summary,
    ...parseWorkflowCommands(stdout),
  };
}

/** The shipped workflow's job permissions for this event (none when no job handles it). */
function permissionsOf(o: InProcessOptions): Permissions {
  const p = o.payload as {
    pull_request?: { head?: { repo?: { full_name?: string } | null } };
    repository?: { full_name?: string };
  };
  const fork =
    p.pull_request !== undefined &&
    p.pull_request.head?.repo?.full_name !== p.repository?.full_name;
  try {
    return jobPermissions(EXAMPLE_WORKFLOW, o.eventName, fork);
  } catch {
    return {};
  }
}
