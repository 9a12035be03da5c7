// Webhook-payload shapes (@octokit/webhooks-types) of the stand-in's current state.
// Differences from REST that matter: review states are lowercase, an empty review body is null.
import type {
  Issue,
  IssueComment,
  Organization,
  PullRequest,
  PullRequestReview,
  Repository,
  SimplePullRequest,
  Team,
  User,
} from '@octokit/webhooks-types';
import {
  authorAssociation,
  forkRepo,
  repoFields,
  teamFields,
  userFields,
  type RepoIdentity,
} from './builders.js';
import { pullFields } from './builders-pulls.js';
import { reactionRollup } from './builders-resources.js';
import type { CommentRec, PullRec, ReviewRec, State } from './state.js';

export function hookUser(s: State, login: string): User {
  return userFields(s, login);
}

export function hookRepo(s: State, r?: RepoIdentity): Repository {
  return { ...repoFields(s, r), stargazers: 0 };
}

export function hookOrganization(s: State): Organization | undefined {
  const owner = s.user(s.owner);
  if (owner.type !== 'Organization') return undefined;
  const api = `${s.apiUrl}/orgs/${owner.login}`;
  return {
    login: owner.login,
    id: owner.id,
    node_id: userFields(s, owner.login).node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: userFields(s, owner.login).avatar_url,
    description: null,
  };
}

function hookTeams(s: State, pr: PullRec): Team[] {
  return pr.requestedTeams.flatMap((slug) => {
    const t = s.team(s.owner, slug);
    return t ? [{ ...teamFields(s, t), parent: null }] : [];
  });
}

function heads(s: State, pr: PullRec) {
  const f = pullFields(s, pr);
  return {
    f,
    head: { ...f.head, repo: hookRepo(s, pr.fromFork ? forkRepo(s, pr.author) : undefined) },
    base: { ...f.base, repo: hookRepo(s) },
  };
}

export function hookPull(s: State, pr: PullRec): PullRequest {
  const { f, head, base } = heads(s, pr);
  return { ...f, head, base, requested_teams: hookTeams(s, pr) };
}

/** The smaller pull request object of pull_request_review payloads. */
export function hookSimplePull(s: State, pr: PullRec): SimplePullRequest {
  const { f, head, base } = heads(s, pr);
  return {
    url: f.url,
    id: f.id,
    node_id: f.node_id,
    html_url: f.html_url,
    diff_url: f.diff_url,
    patch_url: f.patch_url,
    issue_url: f.issue_url,
    number: f.number,
    state: f.state,
    locked: f.locked,
    title: f.title,
    user: f.user,
    body: f.body,
    created_at: f.created_at,
    updated_at: f.updated_at,
    closed_at: f.closed_at,
    merged_at: f.merged_at,
    merge_commit_sha: f.merge_commit_sha,
    assignee: f.assignee,
    assignees: f.assignees,
    requested_reviewers: f.requested_reviewers,
    requested_teams: hookTeams(s, pr),
    labels: f.labels,
    milestone: f.milestone,
    draft: f.draft,
    commits_url: f.commits_url,
    review_comments_url: f.review_comments_url,
    review_comment_url: f.review_comment_url,
    comments_url: f.comments_url,
    statuses_url: f.statuses_url,
    head,
    base,
    _links: f._links,
    author_association: f.author_association,
    auto_merge: f.auto_merge,
    active_lock_reason: f.active_lock_reason,
  };
}

const REVIEW_STATE = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
} as const;

export function hookReview(s: State, r: ReviewRec): PullRequestReview {
  if (r.state === 'PENDING') throw new Error('stand-in: a pending review sends no webhook');
  const web = `${s.repoWeb}/pull/${r.pull}#pullrequestreview-${r.id}`;
  const pr = `${s.repoApi}/pulls/${r.pull}`;
  return {
    id: r.id,
    node_id: Buffer.from(`0:PullRequestReview${r.id}`).toString('base64'),
    user: hookUser(s, r.user),
    body: r.body === '' ? null : r.body,
    commit_id: r.commitId,
    submitted_at: r.submittedAt,
    state: REVIEW_STATE[r.state],
    html_url: web,
    pull_request_url: pr,
    author_association: authorAssociation(s, r.user),
    _links: { html: { href: web }, pull_request: { href: pr } },
  };
}

export function hookComment(s: State, c: CommentRec): IssueComment {
  return {
    url: `${s.repoApi}/issues/comments/${c.id}`,
    html_url: `${s.repoWeb}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${s.repoApi}/issues/${c.issue}`,
    id: c.id,
    node_id: Buffer.from(`0:IssueComment${c.id}`).toString('base64'),
    user: hookUser(s, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(s, c.user),
    body: c.body,
    reactions: reactionRollup(s, c.id),
    performed_via_github_app: null,
  };
}

/** The issue side of a PR, as issue_comment payloads carry it (with `pull_request`). */
export function hookIssue(s: State, pr: PullRec) {
  const f = pullFields(s, pr);
  const api = `${s.repoApi}/issues/${pr.number}`;
  const issue: Issue & {
    assignee: User | null;
    state: 'open' | 'closed';
    locked: boolean;
    labels: [];
  } = {
    url: api,
    repository_url: s.repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: f.html_url,
    id: pr.id + 1,
    node_id: Buffer.from(`0:Issue${pr.id + 1}`).toString('base64'),
    number: pr.number,
    title: pr.title,
    user: f.user,
    labels: [],
    state: pr.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: f.comments,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    author_association: f.author_association,
    active_lock_reason: null,
    draft: pr.draft,
    pull_request: {
      url: f.url,
      html_url: f.html_url,
      diff_url: f.diff_url,
      patch_url: f.patch_url,
      merged_at: pr.mergedAt,
    },
    body: pr.body,
    reactions: { ...reactionRollup(s, 0), url: `${api}/reactions`, total_count: 0 },
    timeline_url: `${api}/timeline`,
    state_reason: null,
  };
  return issue;
}
