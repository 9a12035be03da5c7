// The single source of truth for the job permissions deploy-request needs: each GitHub call the
// port makes and the GITHUB_TOKEN permission it takes (GitHub's REST docs list one per endpoint),
// and which calls each job of the recommended workflow makes. The error mapping names the
// permission from here; the docs tests check the example workflows and the README against it.
import type { GitHubPort } from './port.js';

export type Scope =
  'actions' | 'checks' | 'contents' | 'deployments' | 'issues' | 'pull-requests' | 'statuses';
export type Access = 'read' | 'write';

export interface CallNeed {
  scope: Scope;
  access: Access;
  /** "GitHub refused to <what>". */
  what: string;
  /** Why deploy-request makes the call (the README's permission table). */
  why: string;
}

/** Calls made with the workflow's GITHUB_TOKEN; team members use `members-token` instead. */
export type TokenCall = Exclude<keyof GitHubPort, 'listTeamMembers' | 'getDefaultBranch'>;

const read = (scope: Scope, what: string, why: string): CallNeed => ({
  scope,
  access: 'read',
  what,
  why,
});
const write = (scope: Scope, what: string, why: string): CallNeed => ({
  scope,
  access: 'write',
  what,
  why,
});

// getDefaultBranch reads the repository itself: metadata, which every token may read.
export const CALL_NEEDS: Record<TokenCall, CallNeed> = {
  getFileText: read('contents', 'read a file', 'the configuration and the request file'),
  getPull: read('pull-requests', 'read the pull request', 'the pull request, its head and base'),
  listPullFiles: read(
    'pull-requests',
    'list the files of the pull request',
    'finding the request file',
  ),
  listReviews: read('pull-requests', 'list the reviews', 'approvals'),
  listComments: read('pull-requests', 'list the comments', 'the status comment and its data'),
  createComment: write(
    'pull-requests',
    'comment on the pull request',
    'the status comment and replies',
  ),
  updateComment: write('pull-requests', 'update a comment', 'the status comment, updated in place'),
  addReaction: write('pull-requests', 'react to a comment', 'the 👀 on a command being handled'),
  setStatus: write('statuses', 'set a commit status', 'the deploy-request/* commit statuses'),
  listStatuses: read(
    'statuses',
    'read the commit statuses',
    'the statuses already set; require_checks: commit statuses',
  ),
  requestReviewers: write('pull-requests', 'request reviewers', 'asking the next stage for review'),
  dispatchWorkflow: write(
    'actions',
    'start the trusted workflow run',
    'the hand-over: workflow_dispatch of the workflow on the default branch',
  ),
  createDeployment: write(
    'deployments',
    'create a deployment',
    'the prompt: a Deployment per request',
  ),
  listDeployments: read('deployments', 'list deployments', 'the open prompt, the lock holder'),
  createDeploymentStatus: write(
    'deployments',
    'update the deployment',
    "the prompt's state: queued, in progress, success, failure, or inactive when withdrawn",
  ),
  latestDeploymentStatus: read(
    'deployments',
    'read the deployment status',
    'whether a prompt is open',
  ),
  createRef: write(
    'contents',
    'create the environment lock',
    'the environment lock, a branch `deploy-request/lock/*`',
  ),
  getRefSha: read('contents', 'read the environment lock', 'who holds the environment lock'),
  deleteRef: write('contents', 'release the environment lock', 'releasing the environment lock'),
  createCommit: write(
    'contents',
    'create a commit',
    'holds (`/lock`) and break-glass switches (`/emergency`), branches `deploy-request/hold/*` and `deploy-request/emergency/*`',
  ),
  getCommit: read(
    'contents',
    'read a commit',
    'who holds an environment (`/lock`), and why; a break-glass switch (`/emergency`)',
  ),
  findReleaseAsset: read('contents', 'read a release asset', 'release_asset artifacts'),
  getFile: read('contents', 'read a file', 'the configuration at the default branch tip'),
  listDeploymentStatuses: read(
    'deployments',
    'list the deployment statuses',
    "the prompt's signed states (is it open, deploying, deployed?)",
  ),
  commitOf: read(
    'contents',
    'read a commit',
    "require_checks: the commit a release's tag points to",
  ),
  listCheckRuns: read(
    'checks',
    'list the check runs',
    "require_checks: the check runs on the artifact's commit or the head",
  ),
  createIssue: write('issues', 'open an issue', 'break-glass: the follow-up review issue'),
  listIssuesWithLabel: read(
    'issues',
    'list issues',
    'break-glass: an overdue review refuses the next /emergency',
  ),
  issueClosedBy: read(
    'issues',
    'read an issue',
    'break-glass: only a review issue closed by a reviewer counts as reviewed',
  ),
  addLabels: write('issues', 'label the pull request', 'break-glass: the `break-glass` label'),
};

/** The calls each job of docs/examples/workflows/deploy-request.yml makes (handlers' calls). */
export const JOB_CALLS: Record<'gate' | 'operate', TokenCall[]> = {
  // pull_request and pull_request_review: validate, approvals, hand-over; closed withdraws.
  gate: [
    'getFileText',
    'getPull',
    'listPullFiles',
    'listReviews',
    'listComments',
    'createComment',
    'updateComment',
    'setStatus',
    'requestReviewers',
    'dispatchWorkflow',
    'listDeployments',
    'latestDeploymentStatus',
    'createDeploymentStatus',
    'getFile',
    'getRefSha',
    'getCommit',
  ],
  // workflow_dispatch and comments: provision, check, prompt, /confirm under the lock, /cancel;
  // break-glass: the follow-up issue, earlier ones by label, the label on the pull request.
  operate: [
    'getFileText',
    'getPull',
    'listPullFiles',
    'listReviews',
    'listComments',
    'createComment',
    'updateComment',
    'addReaction',
    'setStatus',
    'createDeployment',
    'listDeployments',
    'createDeploymentStatus',
    'listDeploymentStatuses',
    'createRef',
    'getRefSha',
    'deleteRef',
    'createCommit',
    'getCommit',
    'findReleaseAsset',
    'getFile',
    'commitOf',
    'listCheckRuns',
    'listStatuses',
    'createIssue',
    'listIssuesWithLabel',
    'issueClosedBy',
    'addLabels',
  ],
};

/** The least `permissions:` block for these calls: per scope, write if any call writes. */
export function permissionsFor(calls: readonly TokenCall[]): Partial<Record<Scope, Access>> {
  const out: Partial<Record<Scope, Access>> = {};
  for (const call of calls) {
    const { scope, access } = CALL_NEEDS[call];
    if (out[scope] !== 'write') out[scope] = access;
  }
  return out;
}

/** The user-facing message for a 403 on `call`: what was refused and the permission to grant. */
export function refusedMessage(call: TokenCall, githubMessage: string | undefined): string {
  const need = CALL_NEEDS[call];
  return (
    `GitHub refused to ${need.what} (403: ${githubMessage ?? 'forbidden'}). The workflow needs ` +
    `\`permissions: ${need.scope}: ${need.access}\` in the job that runs deploy-request ` +
    '(see "Permissions" in the README); runs for pull requests from forks get a read-only token.'
  );
}
