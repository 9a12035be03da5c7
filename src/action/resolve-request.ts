// Where a PR's deploy request stands, recomputed from GitHub on every run: the trusted config
// from the base commit, the PR's files, and the request at the head commit.
import { loadConfig } from '../config/load-config.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import { DEFAULT_REQUEST_PATHS } from '../config/types.js';
import {
  FileTooLargeError,
  type GitHubPort,
  type PullRequestInfo,
  type RepoRef,
} from '../github/port.js';
import { tooLargeMessage } from '../yaml/parse-yaml.js';
import type { Loaded, Problem } from '../problem.js';
import { selectRequestFiles } from '../request/find-request-files.js';
import { loadRequest } from '../request/load-request.js';
import type { DeployRequest } from '../request/types.js';

export type Resolution =
  | { kind: 'none' }
  | { kind: 'refused'; reason: string; file?: string }
  | { kind: 'invalid'; file: string; problems: Problem[] }
  | {
      kind: 'valid';
      file: string;
      request: DeployRequest;
      config: DeployRequestConfig;
      environment: EnvironmentConfig;
    };

/** getFileText, with a file too large to read turned into a problem on its first line. */
async function readText(
  github: Pick<GitHubPort, 'getFileText'>,
  path: string,
  ref: string,
): Promise<{ text: string | null } | { problem: Problem }> {
  try {
    return { text: await github.getFileText(path, ref) };
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error;
    return { problem: { file: path, line: 1, column: 1, message: tooLargeMessage(error.size) } };
  }
}

export function isFork(pull: PullRequestInfo, repo: RepoRef): boolean {
  return pull.headRepoFullName?.toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase();
}

export async function resolveRequest(
  github: Pick<GitHubPort, 'getFileText' | 'listPullFiles'>,
  pull: PullRequestInfo,
  repo: RepoRef,
  configPath: string,
): Promise<Resolution> {
  // Invariant 1: the config is read at the base SHA only, never from the PR head.
  const [configRead, files] = await Promise.all([
    readText(github, configPath, pull.baseSha),
    github.listPullFiles(pull.number),
  ]);
  const config: Loaded<DeployRequestConfig> | null =
    'problem' in configRead
      ? { ok: false, problems: [configRead.problem] }
      : configRead.text === null
        ? null
        : loadConfig(configRead.text, configPath);
  const patterns = config?.ok ? config.value.requests.paths : DEFAULT_REQUEST_PATHS;
  const requestFiles = selectRequestFiles(files, patterns);
  if (requestFiles.length === 0) return { kind: 'none' };

  if (isFork(pull, repo)) {
    return {
      kind: 'refused',
      reason:
        'Deploy requests from forks are refused: a fork cannot be trusted with the deployment key. Push the branch to this repository and open the pull request from there.',
    };
  }
  if (requestFiles.length > 1) {
    return {
      kind: 'refused',
      reason: `This pull request touches ${requestFiles.length} deploy request files (${requestFiles
        .map((f) => f.filename)
        .join(
          ', ',
        )}); one pull request carries exactly one new request. Split them into separate pull requests.`,
    };
  }
  const [file] = requestFiles as [(typeof requestFiles)[number]];
  if (file.status !== 'added') {
    return {
      kind: 'refused',
      file: file.filename,
      reason: `\`${file.filename}\` already exists on the base branch (${file.status}): a request that was merged is a record of a deployment and is not edited. Add a new request file instead.`,
    };
  }
  if (config === null) {
    return {
      kind: 'invalid',
      file: file.filename,
      problems: [
        {
          file: configPath,
          line: 1,
          column: 1,
          message: `no trusted configuration on the base branch ${pull.baseRef}: add ${configPath} there first (see the README's quick start); the pull request cannot bring its own.`,
        },
      ],
    };
  }
  if (!config!.ok) return { kind: 'invalid', file: file.filename, problems: config!.problems };

  const requestRead = await readText(github, file.filename, pull.headSha);
  if ('problem' in requestRead)
    return { kind: 'invalid', file: file.filename, problems: [requestRead.problem] };
  const requestText = requestRead.text;
  if (requestText === null) {
    return {
      kind: 'invalid',
      file: file.filename,
      problems: [
        {
          file: file.filename,
          line: 1,
          column: 1,
          message: 'the request file could not be read at the head commit; push again.',
        },
      ],
    };
  }
  const loaded = loadRequest(requestText, file.filename, config!.value);
  if (!loaded.ok) return { kind: 'invalid', file: file.filename, problems: loaded.problems };
  const environment = config!.value.environments[loaded.value.environment]!;
  return {
    kind: 'valid',
    file: file.filename,
    request: loaded.value,
    config: config!.value,
    environment,
  };
}
