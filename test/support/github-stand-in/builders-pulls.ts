// REST shapes of pull requests, their files and reviews.
import { diffTrees, type DiffEntry } from './git.js';
import {
  authorAssociation,
  forkRepo,
  nodeId,
  repoFields,
  repository,
  simpleUser,
  teamSimple,
  userFields,
  type Schemas,
} from './builders.js';
import { labelsOf } from './builders-issues.js';
import type { PullRec, ReviewRec, State } from './state.js';

/** The files a PR changes: from the merge base of base and head to the head (three-dot diff). */
export function pullDiff(s: State, pr: PullRec): DiffEntry[] {
  const base = s.git.mergeBase(pr.baseSha, pr.headSha) ?? pr.baseSha;
  return diffTrees(s.git.tree(base), s.git.tree(pr.headSha));
}

/** Fields shared by the REST pull-request and the webhook PullRequest. */
export function pullFields(s: State, pr: PullRec) {
  const api = `${s.repoApi}/pulls/${pr.number}`;
  const issue = `${s.repoApi}/issues/${pr.number}`;
  const web = `${s.repoWeb}/pull/${pr.number}`;
  const head = pr.fromFork ? forkRepo(s, pr.author) : undefined;
  const merge = s.git.merge(pr.headSha, s.git.refs.get(`refs/heads/${pr.baseRef}`) ?? pr.baseSha);
  const files = pullDiff(s, pr);
  const conflicts = merge.conflicts.length > 0;
  return {
    url: api,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${s.repoApi}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${s.repoApi}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userFields(s, pr.author),
    body: pr.body,
    labels: labelsOf(s, pr.number),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pr.requestedUsers.map((u) => userFields(s, u)),
    head: {
      label: `${pr.fromFork ? pr.author : s.owner}:${pr.headRef}`,
      ref: pr.headRef,
      repo: repoFields(s, head),
      sha: pr.headSha,
      user: userFields(s, pr.fromFork ? pr.author : s.owner),
    },
    base: {
      label: `${s.owner}:${pr.baseRef}`,
      ref: pr.baseRef,
      repo: repoFields(s),
      sha: pr.baseSha,
      user: userFields(s, s.owner),
    },
    _links: {
      self: { href: api },
      html: { href: web },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${s.repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${s.repoApi}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(s, pr.author),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === 'open' ? !conflicts : null,
    rebaseable: pr.state === 'open' ? !conflicts : null,
    mergeable_state:
      pr.state !== 'open' ? 'unknown' : conflicts ? 'dirty' : pr.draft ? 'draft' : 'clean',
    merged_by: pr.mergedBy ? userFields(s, pr.mergedBy) : null,
    comments: s.comments.filter((c) => c.issue === pr.number && !c.deleted).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.headHistory.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

export function pullRequest(s: State, pr: PullRec): Schemas['pull-request'] {
  const f = pullFields(s, pr);
  return {
    ...f,
    user: simpleUser(s, pr.author),
    requested_reviewers: pr.requestedUsers.map((u) => simpleUser(s, u)),
    requested_teams: pr.requestedTeams.flatMap((slug) => {
      const t = s.team(s.owner, slug);
      return t ? [teamSimple(s, t)] : [];
    }),
    head: { ...f.head, repo: repository(s, pr.fromFork ? forkRepo(s, pr.author) : undefined) },
    base: { ...f.base, repo: repository(s) },
  };
}

export function review(s: State, r: ReviewRec): Schemas['pull-request-review'] {
  const web = `${s.repoWeb}/pull/${r.pull}#pullrequestreview-${r.id}`;
  const pr = `${s.repoApi}/pulls/${r.pull}`;
  return {
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: simpleUser(s, r.user),
    body: r.body,
    state: r.state,
    html_url: web,
    pull_request_url: pr,
    author_association: authorAssociation(s, r.user),
    _links: { html: { href: web }, pull_request: { href: pr } },
    ...(r.submittedAt ? { submitted_at: r.submittedAt } : {}),
    commit_id: r.commitId,
  };
}

export function diffEntry(s: State, f: DiffEntry, headSha: string): Schemas['diff-entry'] {
  const path = encodeURIComponent(f.filename).replace(/%2F/g, '/');
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${s.repoWeb}/blob/${headSha}/${path}`,
    raw_url: `${s.repoWeb}/raw/${headSha}/${path}`,
    contents_url: `${s.repoApi}/contents/${path}?ref=${headSha}`,
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
  };
}
