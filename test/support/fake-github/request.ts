// How one port call of the fake meets GitHub: the token is checked, then the job permission the
// stand-in's route would check, then the work runs on the stand-in's state (the same rule
// functions its HTTP routes use). A refusal is the stand-in's HttpError, shaped as Octokit
// throws it and mapped by the real toDomainError: the same class and message as the real port.
import { GitHubUnavailableError, toDomainError } from '../../../src/github/errors.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { HttpError } from '../github-stand-in/http.js';
import { check, type Grant, type Need, type Scope } from '../github-stand-in/permissions.js';
import type { State, TokenRec } from '../github-stand-in/state.js';

export type PortCall = keyof GitHubPort;

const r = (scope: Scope): Grant => ({ scope, access: 'read' });
const w = (scope: Scope): Grant => ({ scope, access: 'write' });

/**
 * What the stand-in's route behind each call needs (its permissions.ts): comments accept
 * `issues` or `pull-requests`; the repository itself needs nothing beyond metadata. Team
 * members are an organisation permission, checked by listTeamMembers itself.
 */
export const CALL_NEED: Record<Exclude<PortCall, 'listTeamMembers'>, Need> = {
  getDefaultBranch: [],
  getFileText: [r('contents')],
  getFile: [r('contents')],
  findReleaseAsset: [r('contents')],
  createRef: [w('contents')],
  getRefSha: [r('contents')],
  deleteRef: [w('contents')],
  createCommit: [w('contents')],
  getCommit: [r('contents')],
  getPull: [r('pull-requests')],
  listPullFiles: [r('pull-requests')],
  listReviews: [r('pull-requests')],
  requestReviewers: [w('pull-requests')],
  listComments: [r('issues'), r('pull-requests')],
  createComment: [w('issues'), w('pull-requests')],
  updateComment: [w('issues'), w('pull-requests')],
  addReaction: [w('issues'), w('pull-requests')],
  setStatus: [w('statuses')],
  listStatuses: [r('statuses')],
  dispatchWorkflow: [w('actions')],
  createDeployment: [w('deployments')],
  listDeployments: [r('deployments')],
  createDeploymentStatus: [w('deployments')],
  latestDeploymentStatus: [r('deployments')],
  listDeploymentStatuses: [r('deployments')],
  commitOf: [r('contents')],
  listCheckRuns: [r('checks')],
  createIssue: [w('issues')],
  listIssuesWithLabel: [r('issues')],
  issueClosedBy: [r('issues')],
  // On a pull request, as the stand-in's route on one (labels on an issue take issues: write).
  addLabels: [w('issues'), w('pull-requests')],
};

/** The token a request is made with, as the stand-in's router checks it (401 when unknown). */
export function tokenOf(state: State, token: string): TokenRec {
  const rec = state.tokens.get(token);
  if (!rec) throw new HttpError(401, 'Bad credentials');
  return rec;
}

/** The message @octokit/request gives a failed answer with this JSON body. */
function octokitMessage(body: Record<string, unknown>): string {
  const suffix = 'documentation_url' in body ? ` - ${String(body.documentation_url)}` : '';
  const errors = body.errors;
  return Array.isArray(errors)
    ? `${String(body.message)}: ${errors.map((v) => JSON.stringify(v)).join(', ')}${suffix}`
    : `${String(body.message)}${suffix}`;
}

/** A stand-in HttpError as the real port's toDomainError sees Octokit's RequestError. */
export function asRequestError(e: HttpError): {
  status: number;
  message: string;
  response: { data: unknown };
} {
  const data = e.toReply().body as Record<string, unknown>;
  return { status: e.status, message: octokitMessage(data), response: { data } };
}

/**
 * An answer the fake was told to give instead (see FakeGitHub.inject), as the real port throws
 * it: a 5xx once the client's retries are spent is GitHubUnavailableError (client.ts).
 */
export function injectedError(
  call: PortCall,
  status: number,
  body: Record<string, unknown>,
): unknown {
  if (status >= 500) {
    return new GitHubUnavailableError(
      `GitHub answered ${status} (${String(body.message)}) to ${call}; GitHub may be having problems (see https://www.githubstatus.com): re-run the job later.`,
      status,
    );
  }
  return toDomainError(call, { status, message: octokitMessage(body), response: { data: body } });
}

/** What each slice of the fake port works with. */
export interface FakeContext {
  state: State;
  /** Runs the request behind `call` with the workflow's token (answer(), with CALL_NEED). */
  request<T>(call: Exclude<PortCall, 'listTeamMembers'>, work: (tok: TokenRec) => T): T;
  /** The same with the members token (team members). */
  membersRequest<T>(call: 'listTeamMembers', work: (tok: TokenRec) => T): T;
}

/**
 * Runs `work` as GitHub would answer the request behind `call` (named like the real port's
 * attempt() names it: the method, so a 403 names the permission of that method).
 */
export function answer<T>(
  call: string,
  state: State,
  token: string,
  need: Need,
  work: (tok: TokenRec) => T,
): T {
  try {
    const tok = tokenOf(state, token);
    check(tok.permissions, need);
    return work(tok);
  } catch (error) {
    throw error instanceof HttpError ? toDomainError(call, asRequestError(error)) : error;
  }
}
