// The one mapping from GitHub's pull request (REST answer or webhook payload, same fields) to
// the port's PullRequestInfo.
import { isBotAccount } from '../domain/logins.js';
import type { PullRequestInfo } from './port.js';

interface Account {
  login: string;
  type?: string;
}

/** The fields both shapes share; anything else GitHub sends is ignored. */
export interface GitHubPull {
  number: number;
  state: string;
  merged?: boolean | null;
  draft?: boolean | null;
  user: Account;
  head: { sha: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string };
  html_url: string;
  /** Users; a webhook payload may also list teams here (without a login). */
  requested_reviewers?: readonly (object | null)[] | null;
  requested_teams?: readonly { slug: string }[] | null;
}

export function toPullRequestInfo(pr: GitHubPull): PullRequestInfo {
  return {
    number: pr.number,
    state: pr.state as PullRequestInfo['state'],
    merged: Boolean(pr.merged),
    draft: Boolean(pr.draft),
    author: pr.user.login,
    authorIsBot: isBotAccount(pr.user),
    headSha: pr.head.sha,
    headRepoFullName: pr.head.repo?.full_name ?? null,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    htmlUrl: pr.html_url,
    requestedUsers: (pr.requested_reviewers ?? []).flatMap((r) =>
      r !== null && 'login' in r && typeof r.login === 'string' ? [r.login] : [],
    ),
    requestedTeams: (pr.requested_teams ?? []).map((t) => t.slug),
  };
}
