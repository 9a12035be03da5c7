// Everything the run needs from its environment, read once at the edge into a typed object
// (inputs, the event payload, the repository and run coordinates). The core never reads env.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RepoRef } from '../github/port.js';
import { DEFAULT_CONFIG_PATH } from '../config/types.js';

export interface ActionSettings {
  githubToken: string;
  membersToken?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
  configPath: string;
  commandPrefix: string;
  repo: RepoRef;
  apiUrl: string;
  serverUrl: string;
  runUrl: string;
  /** Path of the running workflow file inside the repo, e.g. `.github/workflows/deploy.yml`. */
  workflowFile: string;
  /** The ref part of GITHUB_WORKFLOW_REF, e.g. `refs/pull/7/merge` or `refs/heads/main`. */
  workflowRef: string;
  eventName: string;
  event: unknown;
  workspace: string;
  /** `artifact-dir`: where `artifact.path` is found instead of the workspace (absolute). */
  artifactDir?: string;
  /** Checked-out commit of the workspace (GITHUB_SHA). */
  sha: string;
  /** The repository's default branch as the event payload gives it (saves an API call). */
  defaultBranch?: string;
}

/** A mistake in how the action was set up; the message says how to fix it. */
export class SetupError extends Error {
  override name = 'SetupError';
}

type Env = Record<string, string | undefined>;

function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function required(env: Env, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new SetupError(`${name} is not set: ${hint}`);
  return value;
}

export function readSettings(env: Env = process.env): ActionSettings {
  const githubToken = input(env, 'github-token');
  if (!githubToken) {
    throw new SetupError(
      'Input `github-token` is empty: pass `github-token: ${{ github.token }}` (the default) or a token with pull-requests, statuses, deployments and actions write permission.',
    );
  }
  const membersToken = input(env, 'members-token') || undefined;
  // Keys keep their inner newlines; only surrounding blank space is dropped by input().
  const sshPrivateKey = (env['INPUT_SSH-PRIVATE-KEY'] ?? '').trim() || undefined;
  const sshPassphrase = input(env, 'ssh-passphrase') || undefined;
  for (const secret of [githubToken, membersToken, sshPrivateKey, sshPassphrase]) {
    if (secret) maskSecret(secret);
  }

  const repository = required(env, 'GITHUB_REPOSITORY', 'this must run inside GitHub Actions.');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo)
    throw new SetupError(`GITHUB_REPOSITORY must be owner/name, got ${repository}`);
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const workflowRefFull = env.GITHUB_WORKFLOW_REF ?? '';
  const at = workflowRefFull.indexOf('@');
  const workflowPath = at >= 0 ? workflowRefFull.slice(0, at) : '';
  // GITHUB_WORKFLOW_REF is `owner/repo/.github/workflows/x.yml@ref`: keep the in-repo path.
  const workflowFile = workflowPath.startsWith(`${repository}/`)
    ? workflowPath.slice(repository.length + 1)
    : workflowPath;

  const eventPath = required(env, 'GITHUB_EVENT_PATH', 'this must run inside GitHub Actions.');
  const event: unknown = JSON.parse(readFileSync(eventPath, 'utf8'));

  return {
    githubToken,
    membersToken,
    sshPrivateKey,
    sshPassphrase,
    configPath: input(env, 'config-path') || DEFAULT_CONFIG_PATH,
    commandPrefix: input(env, 'command-prefix') || '/',
    repo: { owner, repo },
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl,
    runUrl: `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? '0'}`,
    workflowFile,
    workflowRef: at >= 0 ? workflowRefFull.slice(at + 1) : '',
    eventName: required(env, 'GITHUB_EVENT_NAME', 'this must run inside GitHub Actions.'),
    event,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    artifactDir: artifactDirOf(env),
    sha: env.GITHUB_SHA ?? '',
    defaultBranch: defaultBranchOf(event),
  };
}

/** A relative `artifact-dir` is taken from the workspace, as paths in a workflow are. */
function artifactDirOf(env: Env): string | undefined {
  const dir = input(env, 'artifact-dir');
  return dir ? resolve(env.GITHUB_WORKSPACE || process.cwd(), dir) : undefined;
}

function defaultBranchOf(event: unknown): string | undefined {
  const repository = (event as { repository?: { default_branch?: unknown } } | null)?.repository;
  return typeof repository?.default_branch === 'string' ? repository.default_branch : undefined;
}

/** Masks a secret and each of its lines (multi-line keys are logged line by line). */
function maskSecret(secret: string): void {
  core.setSecret(secret);
  for (const line of secret.split(/\r?\n/)) {
    if (line.trim().length >= 8) core.setSecret(line.trim());
  }
}
