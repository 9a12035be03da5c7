// REST shapes of pull requests, reviews, comments, reactions, statuses, deployments, contents, refs.
import { blobSha, diffTrees, type DiffEntry } from './git.js';
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
import type {
  CommentRec,
  DeploymentRec,
  DeploymentStatusRec,
  PullRec,
  ReactionRec,
  ReviewRec,
  State,
  StatusRec,
} from './state.js';

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
    labels: [],
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
    mergeable_state: pr.state !== 'open' ? 'unknown' : conflicts ? 'dirty' : pr.draft ? 'draft' : 'clean',
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

export function reactionRollup(s: State, commentId: number): Schemas['reaction-rollup'] {
  const rs = s.reactions.filter((r) => r.commentId === commentId);
  const n = (c: string): number => rs.filter((r) => r.content === c).length;
  return {
    url: `${s.repoApi}/issues/comments/${commentId}/reactions`,
    total_count: rs.length,
    '+1': n('+1'),
    '-1': n('-1'),
    laugh: n('laugh'),
    confused: n('confused'),
    heart: n('heart'),
    hooray: n('hooray'),
    eyes: n('eyes'),
    rocket: n('rocket'),
  };
}

export function issueComment(s: State, c: CommentRec): Schemas['issue-comment'] {
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${s.repoApi}/issues/comments/${c.id}`,
    html_url: `${s.repoWeb}/pull/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(s, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${s.repoApi}/issues/${c.issue}`,
    author_association: authorAssociation(s, c.user),
    performed_via_github_app: null,
    reactions: reactionRollup(s, c.id),
  };
}

export function reaction(s: State, r: ReactionRec): Schemas['reaction'] {
  return {
    id: r.id,
    node_id: nodeId('Reaction', r.id),
    user: simpleUser(s, r.user),
    content: r.content,
    created_at: r.createdAt,
  };
}

export function status(s: State, st: StatusRec): Schemas['status'] {
  return {
    url: `${s.repoApi}/statuses/${st.sha}`,
    avatar_url: userFields(s, st.creator).avatar_url,
    id: st.id,
    node_id: nodeId('StatusContext', st.id),
    state: st.state,
    description: st.description,
    target_url: st.targetUrl,
    context: st.context,
    created_at: st.createdAt,
    updated_at: st.createdAt,
    creator: simpleUser(s, st.creator),
  };
}

export function simpleCommitStatus(s: State, st: StatusRec): Schemas['simple-commit-status'] {
  const { creator: _creator, ...rest } = status(s, st);
  return { ...rest, required: false };
}

export function deployment(s: State, d: DeploymentRec): Schemas['deployment'] {
  const url = `${s.repoApi}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: simpleUser(s, d.creator),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: s.repoApi,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  };
}

export function deploymentStatus(s: State, d: DeploymentStatusRec): Schemas['deployment-status'] {
  const dep = `${s.repoApi}/deployments/${d.deploymentId}`;
  return {
    url: `${dep}/statuses/${d.id}`,
    id: d.id,
    node_id: nodeId('DeploymentStatus', d.id),
    state: d.state,
    creator: simpleUser(s, d.creator),
    description: d.description,
    environment: d.environment,
    target_url: d.logUrl,
    log_url: d.logUrl,
    environment_url: d.environmentUrl,
    created_at: d.createdAt,
    updated_at: d.createdAt,
    deployment_url: dep,
    repository_url: s.repoApi,
    performed_via_github_app: null,
  };
}

/** Files over 1 MiB come back with empty content and encoding `none`, like GitHub. */
export function contentFile(s: State, path: string, text: string, ref: string): Schemas['content-file'] {
  const sha = blobSha(text);
  const size = Buffer.byteLength(text, 'utf8');
  const big = size > 1024 * 1024;
  const self = `${s.repoApi}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${s.repoWeb}/blob/${ref}/${path}`;
  const git = `${s.repoApi}/git/blobs/${sha}`;
  return {
    type: 'file',
    encoding: big ? 'none' : 'base64',
    size,
    name: path.split('/').pop() as string,
    path,
    content: big ? '' : (Buffer.from(text, 'utf8').toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${s.fullName}/${ref}/${path}`,
    _links: { self, git, html },
  };
}

export function dirEntry(s: State, path: string, isDir: boolean, text: string, ref: string) {
  const self = `${s.repoApi}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${s.repoWeb}/${isDir ? 'tree' : 'blob'}/${ref}/${path}`;
  const sha = blobSha(isDir ? `tree:${path}` : text);
  const git = `${s.repoApi}/git/${isDir ? 'trees' : 'blobs'}/${sha}`;
  return {
    type: isDir ? ('dir' as const) : ('file' as const),
    size: isDir ? 0 : Buffer.byteLength(text, 'utf8'),
    name: path.split('/').pop() as string,
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: isDir ? null : `https://raw.githubusercontent.com/${s.fullName}/${ref}/${path}`,
    _links: { self, git, html },
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

export function gitRef(s: State, ref: string, sha: string): Schemas['git-ref'] {
  return {
    ref,
    node_id: nodeId('Ref', ref.length),
    url: `${s.repoApi}/git/${ref}`,
    object: { type: 'commit', sha, url: `${s.repoApi}/git/commits/${sha}` },
  };
}
