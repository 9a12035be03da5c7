// Pull requests: the pull request itself, its files, its reviews, and asking for reviews.
import { isBotAccount } from '../domain/logins.js';
import type { Review } from '../domain/review.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort, PullFile } from './port.js';
import { toPullRequestInfo } from './pull-request-info.js';

export type PullsPort = Pick<
  GitHubPort,
  'getPull' | 'listPullFiles' | 'listReviews' | 'requestReviewers'
>;

export function pullsPort({ client, repo }: PortContext): PullsPort {
  return {
    async getPull(number) {
      const { data } = await client.rest.pulls.get({ ...repo, pull_number: number });
      return toPullRequestInfo(data);
    },

    async listPullFiles(number): Promise<PullFile[]> {
      const files = await client.paginate(client.rest.pulls.listFiles, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      return files.map((f) => ({
        filename: f.filename,
        status: f.status,
        previousFilename: f.previous_filename,
      }));
    },

    async listReviews(number): Promise<Review[]> {
      const reviews = await client.paginate(client.rest.pulls.listReviews, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      return reviews.map((r) => ({
        id: r.id,
        user: r.user?.login ?? 'ghost',
        userIsBot: isBotAccount(r.user),
        state: r.state as Review['state'],
        commitId: r.commit_id ?? '',
        submittedAt: r.submitted_at ?? '',
      }));
    },

    async requestReviewers(number, users, teams) {
      if (users.length === 0 && teams.length === 0) return;
      await client.rest.pulls.requestReviewers({
        ...repo,
        pull_number: number,
        reviewers: users,
        team_reviewers: teams,
      });
    },
  };
}
