// Where a PR's deploy request stands, recomputed from GitHub on every run: the trusted config
// from the default branch's tip (now, not the PR's base.sha, which lags and may be any branch),
// the PR's files, and the request at the head commit.
import { loadConfig } from '../config/load-config.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import { DEFAULT_REQUEST_PATHS } from '../config/types.js';
import {
  FileTooLargeError,
  GitHubAccessError,
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
  | {
      kind: 'refused';
      reason: string;
      file?: string;
      /** A short form for a commit status (at most 140 characters). */
      short?: string;
    }
  | { kind: 'invalid'; file: string; problems: Problem[] }
  | {
      kind: 'valid';
      file: string;
      request: DeployRequest;
      config: DeployRequestConfig;
      environment: EnvironmentConfig;
      /** Blob SHA of the config file read: any change to it on the default branch changes this. */
      configSha: string;
    };

type Read<T> = T | { problem: Problem };

/** A read, with a file too large to read turned into a problem on its first line. */
async function readOrProblem<T>(path: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error;
    return { problem: { file: path, line: 1, column: 1, message: tooLargeMessage(error.size) } };
  }
}

type ConfigRead = Read<{ file: { text: string; sha: string } | null }>;

/**
 * The config at the default branch's tip as it is now: one contents read by the branch's full ref
 * (a bare name could be shadowed by a tag a writer pushes). Only when there is no config does a
 * second read tell a missing branch (a setup error) from a missing file.
 */
export async function readTrustedConfig(
  github: Pick<GitHubPort, 'getFile' | 'getRefSha'>,
  configPath: string,
  defaultBranch: string,
): Promise<ConfigRead> {
  return readOrProblem(configPath, async () => {
    const file = await github.getFile(configPath, `refs/heads/${defaultBranch}`);
    if (file === null && (await github.getRefSha(`heads/${defaultBranch}`)) === null) {
      throw new GitHubAccessError(
        `The default branch \`${defaultBranch}\` could not be read (refs/heads/${defaultBranch} not found); the trusted configuration lives there. Check the repository's default branch.`,
      );
    }
    return { file };
  });
}

export function wrongBase(pull: PullRequestInfo, defaultBranch: string): Resolution {
  return {
    kind: 'refused',
    short: `Refused: requests must target ${defaultBranch}`,
    reason: `Deploy requests must target \`${defaultBranch}\`: this pull request targets \`${pull.baseRef}\`. Only the default branch's configuration is trusted, so a request on another base is never approved or deployed. Change the base branch to \`${defaultBranch}\` (Edit, next to the title).`,
  };
}

export function isFork(pull: PullRequestInfo, repo: RepoRef): boolean {
  return pull.headRepoFullName?.toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase();
}

export async function resolveRequest(
  github: Pick<GitHubPort, 'getFile' | 'getFileText' | 'getRefSha' | 'listPullFiles'>,
  pull: PullRequestInfo,
  repo: RepoRef,
  configPath: string,
  defaultBranch: string,
): Promise<Resolution> {
  // Invariant 1: the config is the default branch's, read at its tip now, never the PR's.
  const [configRead, files] = await Promise.all([
    readTrustedConfig(github, configPath, defaultBranch),
    github.listPullFiles(pull.number),
  ]);
  const config: Loaded<DeployRequestConfig> | null =
    'problem' in configRead
      ? { ok: false, problems: [configRead.problem] }
      : configRead.file === null
        ? null
        : loadConfig(configRead.file.text, configPath);
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
  if (pull.baseRef !== defaultBranch) return wrongBase(pull, defaultBranch);
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
          message: `no trusted configuration on the default branch ${defaultBranch}: add ${configPath} there first (see the README's quick start); the pull request cannot bring its own.`,
        },
      ],
    };
  }
  if (!config!.ok) return { kind: 'invalid', file: file.filename, problems: config!.problems };

  const requestRead = await readOrProblem(file.filename, async () => ({
    text: await github.getFileText(file.filename, pull.headSha),
  }));
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
    // A valid config was read, so the file was there.
    configSha: (configRead as { file: { sha: string } }).file.sha,
  };
}
