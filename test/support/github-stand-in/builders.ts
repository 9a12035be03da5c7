// Shapes of users, repositories and teams, as GitHub's REST API (and webhooks) return them.
// The *Fields functions return objects assignable to both the REST schema and the webhook type.
import type { components } from '@octokit/openapi-types';
import type { State, TeamRec } from './state.js';

export type Schemas = components['schemas'];

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

export function userFields(s: State, login: string) {
  const u = s.user(login);
  const api = `${s.apiUrl}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type, u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url:
      u.type === 'Bot'
        ? `${s.webUrl}/apps/${u.login.replace(/\[bot\]$/, '')}`
        : `${s.webUrl}/${u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    site_admin: false,
  };
}

export function simpleUser(s: State, login: string): Schemas['simple-user'] {
  return { ...userFields(s, login), user_view_type: 'public' };
}

export interface RepoIdentity {
  owner: string;
  name: string;
  id: number;
  fork: boolean;
}

export function mainRepo(s: State): RepoIdentity {
  return { owner: s.owner, name: s.repo, id: s.repoId, fork: s.fork };
}

/** The fork a fork PR comes from: `<author>/<repo>`. */
export function forkRepo(s: State, author: string): RepoIdentity {
  return { owner: author, name: s.repo, id: s.repoId + s.user(author).id, fork: true };
}

export function repoFields(s: State, r: RepoIdentity = mainRepo(s)) {
  const full = `${r.owner}/${r.name}`;
  const api = `${s.apiUrl}/repos/${full}`;
  const web = `${s.webUrl}/${full}`;
  const host = new URL(s.webUrl).host;
  return {
    id: r.id,
    node_id: nodeId('Repository', r.id),
    name: r.name,
    full_name: full,
    owner: userFields(s, r.owner),
    private: s.private,
    html_url: web,
    description: null,
    fork: r.fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${web}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: web,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1,
    default_branch: s.defaultBranch,
    open_issues_count: [...s.pulls.values()].filter((p) => p.state === 'open').length,
    is_template: false,
    topics: [] as string[],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: s.private ? ('private' as const) : ('public' as const),
    pushed_at: s.createdAt,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    allow_forking: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: [...s.pulls.values()].filter((p) => p.state === 'open').length,
    watchers: 0,
    custom_properties: {},
  };
}

export function repository(s: State, r?: RepoIdentity): Schemas['repository'] {
  return {
    ...repoFields(s, r),
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function minimalRepository(s: State): Schemas['minimal-repository'] {
  return repoFields(s);
}

export function fullRepository(s: State): Schemas['full-repository'] {
  const org = s.user(s.owner).type === 'Organization';
  return {
    ...repoFields(s),
    subscribers_count: 0,
    network_count: 0,
    organization: org ? userFields(s, s.owner) : null,
  };
}

export function teamFields(s: State, t: TeamRec) {
  const api = `${s.apiUrl}/organizations/${s.user(t.org).id}/team/${t.id}`;
  return {
    id: t.id,
    node_id: nodeId('Team', t.id),
    name: t.name,
    slug: t.slug,
    description: null,
    privacy: 'closed' as const,
    notification_setting: 'notifications_enabled' as const,
    permission: 'pull',
    url: api,
    html_url: `${s.webUrl}/orgs/${t.org}/teams/${t.slug}`,
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
  };
}

export function team(s: State, t: TeamRec): Schemas['team'] {
  return { ...teamFields(s, t), type: 'organization', parent: null };
}

export function teamSimple(s: State, t: TeamRec): Schemas['team-simple'] {
  return { ...teamFields(s, t), type: 'organization' };
}

/** How GitHub labels a user's relation to this repository. */
export function authorAssociation(s: State, login: string): Schemas['author-association'] {
  if (login.toLowerCase() === s.owner.toLowerCase()) return 'OWNER';
  if (s.teams.some((t) => t.members.includes(login))) return 'MEMBER';
  if (s.user(login).type === 'Bot') return 'NONE';
  // A user with access to the repository is a COLLABORATOR; anyone else commenting is NONE
  // (GitHub's webhook author_association: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, …).
  return s.collaborators === null || s.collaborators.has(login.toLowerCase())
    ? 'COLLABORATOR'
    : 'NONE';
}
