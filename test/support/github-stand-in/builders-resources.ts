// REST shapes of comments, reactions, statuses, deployments, contents and refs.
import { blobSha } from './git.js';
import { authorAssociation, nodeId, simpleUser, userFields, type Schemas } from './builders.js';
import type {
  CommentRec,
  DeploymentRec,
  DeploymentStatusRec,
  ReactionRec,
  State,
  StatusRec,
} from './state.js';

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
  const full = status(s, st);
  return {
    url: full.url,
    avatar_url: full.avatar_url,
    id: full.id,
    node_id: full.node_id,
    state: full.state,
    description: full.description,
    target_url: full.target_url,
    context: full.context,
    created_at: full.created_at,
    updated_at: full.updated_at,
    required: false,
  };
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
export function contentFile(
  s: State,
  path: string,
  text: string,
  ref: string,
): Schemas['content-file'] {
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
    content: big
      ? ''
      : (
          Buffer.from(text, 'utf8')
            .toString('base64')
            .match(/.{1,60}/g) ?? []
        ).join('\n') + '\n',
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

export function gitRef(s: State, ref: string, sha: string): Schemas['git-ref'] {
  return {
    ref,
    node_id: nodeId('Ref', ref.length),
    url: `${s.repoApi}/git/${ref}`,
    object: { type: 'commit', sha, url: `${s.repoApi}/git/commits/${sha}` },
  };
}
