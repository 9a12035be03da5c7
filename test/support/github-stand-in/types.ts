// Records the stand-in keeps: users, tokens, teams, pull requests, issues, labels, reviews, comments, reactions,
// statuses, deployments, dispatches, the request log and injected faults.
import type { Permissions } from './permissions.js';

export type UserType = 'User' | 'Bot' | 'Organization';
export interface UserRec {
  login: string;
  id: number;
  type: UserType;
}

export interface TokenRec {
  token: string;
  login: string;
  /** The job's `permissions:` (GitHub Actions scopes; unset ones are none). */
  permissions: Permissions;
  /** An installation token (GITHUB_TOKEN, GitHub App): no user behind it, `GET /user` is 403. */
  installation: boolean;
  /** May read organisation team membership (GITHUB_TOKEN never can). */
  readTeams: boolean;
}

export interface TeamRec {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: string[];
}

export interface PullRec {
  number: number;
  id: number;
  author: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  baseRef: string;
  baseSha: string;
  headRef: string;
  headSha: string;
  /** Every head SHA the PR has had, oldest first. */
  headHistory: string[];
  fromFork: boolean;
  requestedUsers: string[];
  requestedTeams: string[];
}

/** An issue (pull requests are PullRec; both take their numbers from one sequence). */
export interface IssueRec {
  number: number;
  id: number;
  author: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

/** A label of the repository; issues and pull requests carry them by name (State.labelsOn). */
export interface LabelRec {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
export interface ReviewRec {
  id: number;
  pull: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string | null;
}

export interface CommentRec {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export const REACTIONS = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
] as const;
export type ReactionContent = (typeof REACTIONS)[number];
export interface ReactionRec {
  id: number;
  commentId: number;
  user: string;
  content: ReactionContent;
  createdAt: string;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';
export interface StatusRec {
  id: number;
  sha: string;
  state: StatusState;
  description: string | null;
  targetUrl: string | null;
  context: string;
  creator: string;
  createdAt: string;
}

export interface DeploymentRec {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  description: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  transient: boolean;
  production: boolean;
}

export type DeploymentStatusState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
export interface DeploymentStatusRec {
  id: number;
  deploymentId: number;
  state: DeploymentStatusState;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: string;
}

export interface DispatchRec {
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  actor: string;
  at: string;
}

export interface CallRec {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  token: string | null;
}

export interface Fault {
  method?: string;
  /** RegExp on the path, or a string equal to the path or to the path after `/repos/{o}/{r}`. */
  path: RegExp | string;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Answer with this status; omit to only delay the real answer. */
  status?: number;
  /**
   * Apply the request first (as GitHub would, when it did the write but the answer was lost) and
   * only then answer with `status`: a 502 after a comment, a Deployment or a ref was created.
   */
  afterApply?: boolean;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}
