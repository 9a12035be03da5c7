// Job permissions: each route answers 403 "Resource not accessible by integration" with the
// `x-accepted-github-permissions` header unless the token carries what GitHub documents for it.
// Header format (sets separated by "; "): https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors
// and https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible
// Scopes of GITHUB_TOKEN: https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
import type { Octokit } from '@octokit/rest';
import { describe, expect, test } from 'vitest';
import type { GitHubStandIn, Permissions } from '../support/github-stand-in/index.js';
import { repo, standIn, statusOf } from './helpers.js';

interface Rule {
  /** The route and the GitHub doc page that lists its permission. */
  name: string;
  doc: string;
  /** Least grant that works, a grant that does not, and the header GitHub sends. */
  enough: Permissions;
  notEnough: Permissions;
  accepted: string;
  call: (o: Octokit, f: Fixture) => Promise<unknown>;
}

interface Fixture {
  gh: GitHubStandIn;
  pr: number;
  head: string;
  commentId: number;
  deploymentId: number;
}

const WORKFLOW = 'on:\n  workflow_dispatch:\n';

const RULES: Rule[] = [
  {
    name: 'GET /pulls/{n} needs pull-requests: read',
    doc: 'https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request',
    enough: { 'pull-requests': 'read' },
    notEnough: { issues: 'write', contents: 'write' },
    accepted: 'pull_requests=read',
    call: (o, f) => o.rest.pulls.get({ ...repo, pull_number: f.pr }),
  },
  {
    name: 'GET /pulls/{n}/reviews needs pull-requests: read',
    doc: 'https://docs.github.com/en/rest/pulls/reviews#list-reviews-for-a-pull-request',
    enough: { 'pull-requests': 'read' },
    notEnough: {},
    accepted: 'pull_requests=read',
    call: (o, f) => o.rest.pulls.listReviews({ ...repo, pull_number: f.pr }),
  },
  {
    name: 'POST /pulls/{n}/requested_reviewers needs pull-requests: write',
    doc: 'https://docs.github.com/en/rest/pulls/review-requests#request-reviewers-for-a-pull-request',
    enough: { 'pull-requests': 'write' },
    notEnough: { 'pull-requests': 'read', issues: 'write' },
    accepted: 'pull_requests=write',
    call: (o, f) =>
      o.rest.pulls.requestReviewers({ ...repo, pull_number: f.pr, reviewers: ['alice'] }),
  },
  {
    name: 'POST a comment on a pull request needs issues: write or pull-requests: write',
    doc: 'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment',
    enough: { 'pull-requests': 'write' },
    notEnough: { 'pull-requests': 'read', issues: 'read' },
    accepted: 'issues=write; pull_requests=write',
    call: (o, f) => o.rest.issues.createComment({ ...repo, issue_number: f.pr, body: 'hi' }),
  },
  {
    name: 'POST a comment on a pull request: issues: write is enough too',
    doc: 'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment',
    enough: { issues: 'write' },
    notEnough: {},
    accepted: 'issues=write; pull_requests=write',
    call: (o, f) => o.rest.issues.createComment({ ...repo, issue_number: f.pr, body: 'hi' }),
  },
  {
    name: 'GET the comments of a pull request needs issues: read or pull-requests: read',
    doc: 'https://docs.github.com/en/rest/issues/comments#list-issue-comments',
    enough: { 'pull-requests': 'read' },
    notEnough: { contents: 'write' },
    accepted: 'issues=read; pull_requests=read',
    call: (o, f) => o.rest.issues.listComments({ ...repo, issue_number: f.pr }),
  },
  {
    name: 'PATCH a comment on a pull request needs issues: write or pull-requests: write',
    doc: 'https://docs.github.com/en/rest/issues/comments#update-an-issue-comment',
    enough: { 'pull-requests': 'write' },
    notEnough: { 'pull-requests': 'read' },
    accepted: 'issues=write; pull_requests=write',
    call: (o, f) => o.rest.issues.updateComment({ ...repo, comment_id: f.commentId, body: 'x' }),
  },
  {
    name: 'POST a reaction to a comment on a pull request needs issues: write or pull-requests: write',
    doc: 'https://docs.github.com/en/rest/reactions/reactions#create-reaction-for-an-issue-comment',
    enough: { 'pull-requests': 'write' },
    notEnough: { 'pull-requests': 'read' },
    accepted: 'issues=write; pull_requests=write',
    call: (o, f) =>
      o.rest.reactions.createForIssueComment({ ...repo, comment_id: f.commentId, content: 'eyes' }),
  },
  {
    name: 'GET /contents needs contents: read',
    doc: 'https://docs.github.com/en/rest/repos/contents#get-repository-content',
    enough: { contents: 'read' },
    notEnough: { 'pull-requests': 'write' },
    accepted: 'contents=read',
    call: (o) => o.rest.repos.getContent({ ...repo, path: '.github/workflows/d.yml', ref: 'main' }),
  },
  {
    name: 'GET /git/ref needs contents: read',
    doc: 'https://docs.github.com/en/rest/git/refs#get-a-reference',
    enough: { contents: 'read' },
    notEnough: {},
    accepted: 'contents=read',
    call: (o) => o.rest.git.getRef({ ...repo, ref: 'heads/main' }),
  },
  {
    name: 'POST /git/refs needs contents: write',
    doc: 'https://docs.github.com/en/rest/git/refs#create-a-reference',
    enough: { contents: 'write' },
    notEnough: { contents: 'read', 'pull-requests': 'write', deployments: 'write' },
    accepted: 'contents=write',
    call: (o, f) => o.rest.git.createRef({ ...repo, ref: 'refs/heads/lock', sha: f.head }),
  },
  {
    name: 'DELETE /git/refs needs contents: write',
    doc: 'https://docs.github.com/en/rest/git/refs#delete-a-reference',
    enough: { contents: 'write' },
    notEnough: { contents: 'read' },
    accepted: 'contents=write',
    call: (o, f) => {
      f.gh.setBranch('gone', f.head);
      return o.rest.git.deleteRef({ ...repo, ref: 'heads/gone' });
    },
  },
  {
    name: 'POST /statuses/{sha} needs statuses: write',
    doc: 'https://docs.github.com/en/rest/commits/statuses#create-a-commit-status',
    enough: { statuses: 'write' },
    notEnough: { statuses: 'read', contents: 'write' },
    accepted: 'statuses=write',
    call: (o, f) => o.rest.repos.createCommitStatus({ ...repo, sha: f.head, state: 'success' }),
  },
  {
    name: 'GET /commits/{ref}/status needs statuses: read',
    doc: 'https://docs.github.com/en/rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
    enough: { statuses: 'read' },
    notEnough: { contents: 'write' },
    accepted: 'statuses=read',
    call: (o, f) => o.rest.repos.getCombinedStatusForRef({ ...repo, ref: f.head }),
  },
  {
    name: 'POST /deployments needs deployments: write',
    doc: 'https://docs.github.com/en/rest/deployments/deployments#create-a-deployment',
    enough: { deployments: 'write' },
    notEnough: { deployments: 'read', contents: 'write' },
    accepted: 'deployments=write',
    call: (o, f) =>
      o.rest.repos.createDeployment({
        ...repo,
        ref: f.head,
        required_contexts: [],
        environment: 'x',
      }),
  },
  {
    name: 'GET /deployments needs deployments: read',
    doc: 'https://docs.github.com/en/rest/deployments/deployments#list-deployments',
    enough: { deployments: 'read' },
    notEnough: { statuses: 'write' },
    accepted: 'deployments=read',
    call: (o) => o.rest.repos.listDeployments(repo),
  },
  {
    name: 'POST /deployments/{id}/statuses needs deployments: write',
    doc: 'https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status',
    enough: { deployments: 'write' },
    notEnough: { deployments: 'read', statuses: 'write' },
    accepted: 'deployments=write',
    call: (o, f) =>
      o.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: f.deploymentId,
        state: 'queued',
      }),
  },
  {
    name: 'GET /deployments/{id}/statuses needs deployments: read',
    doc: 'https://docs.github.com/en/rest/deployments/statuses#list-deployment-statuses',
    enough: { deployments: 'read' },
    notEnough: {},
    accepted: 'deployments=read',
    call: (o, f) => o.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: f.deploymentId }),
  },
  {
    name: 'POST /actions/workflows/{file}/dispatches needs actions: write',
    doc: 'https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event',
    enough: { actions: 'write' },
    notEnough: { actions: 'read', contents: 'write' },
    accepted: 'actions=write',
    call: (o) =>
      o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'd.yml', ref: 'main' }),
  },
];

async function fixture(): Promise<{ f: Fixture; octokit: (t: string) => Octokit }> {
  const { gh, octokit } = await standIn({ files: { '.github/workflows/d.yml': WORKFLOW } });
  const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'a.txt': '1\n' } });
  const commentId = gh.comment(number, 'dev', '/help');
  await octokit(gh.tokens.write).rest.repos.createDeployment({
    ...repo,
    ref: headSha,
    required_contexts: [],
  });
  const deploymentId = gh.deployments()[0]!.id;
  return { f: { gh, pr: number, head: headSha, commentId, deploymentId }, octokit };
}

describe('job permissions (one rule per route, as GitHub documents it)', () => {
  test.each(RULES)('$name ($doc)', async (rule) => {
    const { f, octokit } = await fixture();
    const refused = await statusOf(rule.call(octokit(f.gh.tokenFor(rule.notEnough)), f));
    expect(refused).toMatchObject({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//),
      },
    });
    const last = f.gh.calls().at(-1);
    expect(last?.status).toBe(403);
    const res = await fetchHeaders(f.gh, rule, f);
    expect(res).toBe(rule.accepted);
    // The least grant GitHub documents is enough.
    await expect(rule.call(octokit(f.gh.tokenFor(rule.enough)), f)).resolves.toBeDefined();
  });

  test('no permissions at all: the repository itself stays readable (metadata is always read)', async () => {
    const { f, octokit } = await fixture();
    const o = octokit(f.gh.tokenFor({}));
    expect((await o.rest.repos.get(repo)).data.full_name).toBe('acme/app');
    expect((await statusOf(o.rest.pulls.get({ ...repo, pull_number: f.pr }))).status).toBe(403);
  });

  test('comments on an issue (not a pull request) accept only issues', async () => {
    // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
    const { f, octokit } = await fixture();
    const o = octokit(f.gh.tokenFor({ 'pull-requests': 'write' }));
    const r = await statusOf(
      o.rest.issues.createComment({ ...repo, issue_number: 999, body: 'x' }),
    );
    expect(r.status).toBe(403);
  });

  test('GET /user with an installation token is 403; a user token gets its user', async () => {
    // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
    const { f, octokit } = await fixture();
    const job = f.gh.tokenFor({ contents: 'write', 'pull-requests': 'write' });
    expect(await statusOf(octokit(job).rest.users.getAuthenticated())).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    f.gh.addToken('ghp_alice', { login: 'alice' });
    expect((await octokit('ghp_alice').rest.users.getAuthenticated()).data.login).toBe('alice');
  });

  test('the shorthand tokens: write = every scope write, readOnly = every scope read', async () => {
    const { f } = await fixture();
    const write = f.gh.permissionsOf(f.gh.tokens.write);
    const read = f.gh.permissionsOf(f.gh.tokens.readOnly);
    expect(Object.values(write).every((a) => a === 'write')).toBe(true);
    expect(Object.values(read).every((a) => a === 'read')).toBe(true);
    expect(Object.keys(write).sort()).toEqual([
      'actions',
      'checks',
      'contents',
      'deployments',
      'issues',
      'pull-requests',
      'statuses',
    ]);
  });
});

/** The `x-accepted-github-permissions` header of the refused call (re-sent without Octokit). */
async function fetchHeaders(gh: GitHubStandIn, rule: Rule, f: Fixture): Promise<string | null> {
  let header: string | null = null;
  const { Octokit: Client } = await import('@octokit/rest');
  const o = new Client({
    auth: gh.tokenFor(rule.notEnough),
    baseUrl: gh.url,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  o.hook.error('request', (e) => {
    const h = (e as { response?: { headers?: Record<string, string> } }).response?.headers;
    header = h?.['x-accepted-github-permissions'] ?? null;
    throw e;
  });
  await rule.call(o, f).catch(() => undefined);
  return header;
}
