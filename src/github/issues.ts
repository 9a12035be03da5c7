// Issues (never pull requests) and labels on issues and pull requests: break-glass opens a
// follow-up issue, finds earlier ones by label, and labels the pull request. Opening an issue is
// a write GitHub must not apply twice: after a 5xx, ours is looked for before sending it again.
// GET /repos/{o}/{r}/issues lists pull requests too (items with a `pull_request` key): dropped.
// https://docs.github.com/rest/issues/issues#list-repository-issues
import { isBotAccount } from '../domain/logins.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort, IssueInfo } from './port.js';
import { NO_RETRY } from './write-once.js';

export type IssuesPort = Pick<
  GitHubPort,
  'createIssue' | 'listIssuesWithLabel' | 'issueClosedBy' | 'addLabels'
>;

/** What is read of an issue as the REST API answers it (labels are names or label objects). */
interface Issue {
  number: number;
  state: string;
  user: { login: string; type?: string } | null;
  title: string;
  body?: string | null;
  labels: (string | { name?: string })[];
  created_at: string;
  closed_at: string | null;
  html_url: string;
}

export function issuesPort({ client, repo, writeOnce }: PortContext): IssuesPort {
  /** Issues with every one of `labels` (none: all), created or updated since `since`, newest first. */
  async function listIssues(labels: string[], since?: string): Promise<IssueInfo[]> {
    const items = await client.paginate(client.rest.issues.listForRepo, {
      ...repo,
      state: 'all',
      ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
      ...(since ? { since } : {}),
      sort: 'created',
      direction: 'desc',
      per_page: 100,
    });
    return items.filter((i) => !i.pull_request).map(toIssue);
  }

  return {
    async createIssue({ title, body, labels }) {
      const made = await writeOnce(
        async () => {
          const { data } = await client.rest.issues.create({
            ...repo,
            title,
            body,
            labels,
            request: NO_RETRY,
          });
          return toIssue(data);
        },
        // Ours: this title and body, with these labels, opened since the run began.
        async (since) =>
          (await listIssues(labels, new Date(since).toISOString())).find(
            (i) => i.title === title && i.body === body && Date.parse(i.createdAt) >= since,
          ),
      );
      return { number: made.number, htmlUrl: made.htmlUrl };
    },

    async listIssuesWithLabel(label) {
      return listIssues([label]);
    },

    async issueClosedBy(number) {
      const { data } = await client.rest.issues.get({ ...repo, issue_number: number });
      return data.state === 'closed' ? (data.closed_by?.login ?? null) : null;
    },

    async addLabels(number, labels) {
      await client.rest.issues.addLabels({ ...repo, issue_number: number, labels });
    },
  };
}

/** GitHub's issue as the port gives it (the fake port maps the stand-in's issues with it too). */
export function toIssue(i: Issue): IssueInfo {
  return {
    number: i.number,
    state: i.state === 'closed' ? 'closed' : 'open',
    author: i.user?.login ?? 'ghost',
    authorIsBot: isBotAccount(i.user),
    title: i.title,
    body: i.body ?? '',
    labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    createdAt: i.created_at,
    closedAt: i.closed_at,
    htmlUrl: i.html_url,
  };
}
