// The narrow view of GitHub the core works with. The action wires it to Octokit (octokit-port.ts);
// tests of the core can hand in a plain object. Only plain data crosses this line, and failures
// as the classes of errors.ts (never an HTTP status to inspect).
import type { Readable } from 'node:stream';
import type { DeploymentState } from '../domain/deployment-state.js';
import type { Review } from '../domain/review.js';

// The domain's types and the port's errors, for callers that know only the port.
export type { DeploymentState } from '../domain/deployment-state.js';
export type { Review } from '../domain/review.js';
export {
  FileTooLargeError,
  GitHubAccessError,
  GitHubConflictError,
  GitHubForbiddenError,
  GitHubNotFoundError,
  GitHubRateLimitError,
  GitHubRequestError,
  GitHubUnavailableError,
} from './errors.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequestInfo {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  author: string;
  authorIsBot: boolean;
  headSha: string;
  headRepoFullName: string | null; // null when the fork was deleted
  baseSha: string;
  baseRef: string;
  htmlUrl: string;
  /** Reviewers asked and not yet answered: user logins and bare team slugs. */
  requestedUsers: string[];
  requestedTeams: string[];
}

export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previousFilename?: string;
}

export interface IssueComment {
  id: number;
  user: string;
  userIsBot: boolean;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success';

export interface CommitStatus {
  context: string;
  state: CommitState;
  description: string;
  targetUrl?: string;
}

export interface Deployment {
  id: number;
  sha: string;
  environment: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** One status of a Deployment, as stored (descriptions carry our signatures; see src/state/). */
export interface DeploymentStatusRecord {
  state: DeploymentState;
  description: string;
  createdAt: string;
}

/** An issue (never a pull request), as the issues API lists it. */
export interface IssueInfo {
  number: number;
  state: 'open' | 'closed';
  author: string;
  authorIsBot: boolean;
  title: string;
  body: string;
  labels: string[];
  createdAt: string;
  closedAt: string | null;
  htmlUrl: string;
}

/** A commit as the git database API has it (only what the port's callers read). */
export interface GitCommit {
  message: string;
  treeSha: string;
}

/** A check run on a commit (a CI job, as the checks API lists it). */
export interface CheckRunInfo {
  id: number;
  name: string;
  /** queued, in_progress, completed, waiting, requested or pending. */
  status: string;
  /** Set once completed: success, failure, neutral, cancelled, skipped, timed_out, action_required. */
  conclusion: string | null;
}

export interface GitHubPort {
  getDefaultBranch(): Promise<string>;
  /**
   * File text at a commit, or null when absent. A file too large for the contents API to inline
   * (over 1 MiB) is not downloaded: FileTooLargeError says its size instead.
   */
  getFileText(path: string, ref: string): Promise<string | null>;
  /** getFileText plus the file's blob SHA (what the contents API calls `sha`). */
  getFile(path: string, ref: string): Promise<{ text: string; sha: string } | null>;
  getPull(number: number): Promise<PullRequestInfo>;
  /** All files of the PR (paginated). */
  listPullFiles(number: number): Promise<PullFile[]>;
  /** All reviews, in submission order (paginated). */
  listReviews(number: number): Promise<Review[]>;
  /** Comments on the PR conversation (paginated). */
  listComments(number: number): Promise<IssueComment[]>;
  createComment(number: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<void>;
  addReaction(commentId: number, content: '+1' | 'eyes' | 'rocket' | 'confused'): Promise<void>;
  setStatus(sha: string, status: CommitStatus): Promise<void>;
  listStatuses(sha: string): Promise<CommitStatus[]>;
  requestReviewers(number: number, users: string[], teams: string[]): Promise<void>;
  /** Logins of an org team's members; throws GitHubAccessError when the token cannot read teams. */
  listTeamMembers(org: string, teamSlug: string): Promise<string[]>;
  dispatchWorkflow(
    workflowFile: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<void>;
  createDeployment(input: {
    ref: string;
    environment: string;
    payload: Record<string, unknown>;
    description: string;
  }): Promise<Deployment>;
  listDeployments(environment: string, sha?: string): Promise<Deployment[]>;
  createDeploymentStatus(
    deploymentId: number,
    state: DeploymentState,
    input?: { description?: string; logUrl?: string; environmentUrl?: string },
  ): Promise<void>;
  /** The newest status of a deployment (state and when it was set), or null when it has none. */
  latestDeploymentStatus(
    deploymentId: number,
  ): Promise<{ state: DeploymentState; createdAt: string } | null>;
  /** Every status of a deployment, newest first. */
  listDeploymentStatuses(deploymentId: number): Promise<DeploymentStatusRecord[]>;
  /** Creates a ref atomically; false when it exists already (GitHub answers 422). */
  createRef(ref: string, sha: string): Promise<boolean>;
  /** The SHA a ref points at, or null when absent. `ref` is like `heads/x`. */
  getRefSha(ref: string): Promise<string | null>;
  deleteRef(ref: string): Promise<void>;
  /**
   * Creates a commit with no parents on `treeSha` (an existing tree) and returns its SHA; it is
   * reachable only once a ref points at it. GitHub answers 422 for an unknown tree.
   */
  createCommit(message: string, treeSha: string): Promise<string>;
  /** A commit's message and tree SHA, or null when there is no such commit. */
  getCommit(sha: string): Promise<GitCommit | null>;
  /**
   * Finds an asset of this repository's release `tag`: its size as the release lists it, and
   * `open` for its bytes as a stream (never buffered whole). The token goes to the API only,
   * never to the host GitHub redirects the download to.
   */
  findReleaseAsset(tag: string, name: string): Promise<ReleaseAsset>;
  /** The commit a SHA, branch or tag name names (an annotated tag peeled), or null for none. */
  commitOf(ref: string): Promise<string | null>;
  /** The newest check run of each name on a commit (every page). */
  listCheckRuns(sha: string): Promise<CheckRunInfo[]>;
  /** Opens an issue (not a pull request) and returns its number and address. */
  createIssue(input: {
    title: string;
    body: string;
    labels: string[];
  }): Promise<{ number: number; htmlUrl: string }>;
  /** Issues (never pull requests) carrying `label`, open and closed, newest first (every page). */
  listIssuesWithLabel(label: string): Promise<IssueInfo[]>;
  /**
   * Who closed an issue (null while open, or when GitHub does not say): only a single issue's
   * read has it, never a list.
   */
  issueClosedBy(number: number): Promise<string | null>;
  /** Adds labels to an issue or pull request; GitHub creates a label that does not exist yet. */
  addLabels(number: number, labels: string[]): Promise<void>;
}

export interface ReleaseAsset {
  size: number;
  open(signal?: AbortSignal): Promise<Readable>;
  /**
   * A link to the bytes that works without a token and expires within minutes (GitHub's signed
   * redirect target), for servers that download it themselves; its query is a credential.
   */
  link(): Promise<string>;
}
