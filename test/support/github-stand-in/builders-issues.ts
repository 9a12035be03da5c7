// REST shapes of issues and labels. GET /issues lists pull requests too, as issues with a
// `pull_request` key (https://docs.github.com/rest/issues/issues#list-repository-issues).
import { authorAssociation, nodeId, simpleUser, type Schemas } from './builders.js';
import type { IssueRec, LabelRec, PullRec, State } from './state.js';

/** A label, assignable to both the REST schema `label` and the webhook type (like userFields). */
function labelFields(s: State, l: LabelRec) {
  return {
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${s.repoApi}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

/** The label objects on an issue or pull request, in the order added. */
export function labelsOf(s: State, number: number): ReturnType<typeof labelFields>[] {
  return (s.labelsOn.get(number) ?? []).flatMap((name) => {
    const l = s.labels.find((x) => x.name === name);
    return l ? [labelFields(s, l)] : [];
  });
}

/** What an issue and a pull request share in the issues API. */
function issueFields(s: State, number: number, author: string, web: string) {
  const api = `${s.repoApi}/issues/${number}`;
  return {
    node_id: nodeId('Issue', number),
    url: api,
    repository_url: s.repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number,
    user: simpleUser(s, author),
    labels: labelsOf(s, number),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: s.comments.filter((c) => c.issue === number && !c.deleted).length,
    author_association: authorAssociation(s, author),
  };
}

export function issue(s: State, i: IssueRec): Schemas['issue'] {
  return {
    ...issueFields(s, i.number, i.author, `${s.repoWeb}/issues/${i.number}`),
    id: i.id,
    state: i.state,
    state_reason: i.state === 'closed' ? 'completed' : null,
    title: i.title,
    body: i.body,
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: i.closedBy ? simpleUser(s, i.closedBy) : null,
  };
}

/** A pull request as the issues API shows it: an issue with a `pull_request` key. */
export function issueOfPull(s: State, pr: PullRec): Schemas['issue'] {
  const web = `${s.repoWeb}/pull/${pr.number}`;
  return {
    ...issueFields(s, pr.number, pr.author, web),
    id: pr.id,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    closed_at: pr.closedAt,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    draft: pr.draft,
    pull_request: {
      url: `${s.repoApi}/pulls/${pr.number}`,
      html_url: web,
      diff_url: `${web}.diff`,
      patch_url: `${web}.patch`,
      merged_at: pr.mergedAt,
    },
  };
}
