// The fake port's pull request slices: the pull request, its files and reviews, review requests,
// conversation comments with reactions, and commit statuses. GitHub's rules (who may be asked
// for a review, body and description limits, unknown commits) are the stand-in's own functions.
import { isBotAccount } from '../../../src/domain/logins.js';
import type { Review } from '../../../src/domain/review.js';
import { truncate } from '../../../src/github/port-context.js';
import type { CommitStatus, GitHubPort, IssueComment } from '../../../src/github/port.js';
import { toPullRequestInfo } from '../../../src/github/pull-request-info.js';
import { pullDiff, pullRequest } from '../github-stand-in/builders-pulls.js';
import { HttpError, notFound } from '../github-stand-in/http.js';
import { addComment, addReaction, editComment } from '../github-stand-in/issues.js';
import { mustPull, requestReviewers } from '../github-stand-in/pull-ops.js';
import type { CommentRec, State } from '../github-stand-in/state.js';
import { addStatus, latestStatuses } from '../github-stand-in/statuses.js';
import type { FakeContext } from './request.js';

type PullsPort = Pick<
  GitHubPort,
  | 'getPull'
  | 'listPullFiles'
  | 'listReviews'
  | 'requestReviewers'
  | 'listComments'
  | 'createComment'
  | 'updateComment'
  | 'addReaction'
  | 'setStatus'
  | 'listStatuses'
>;

/** GitHub lists at most this many files of a pull request. */
const MAX_PR_FILES = 3000;

export function pullsPort({ state: s, request }: FakeContext): PullsPort {
  const comment = (c: CommentRec): IssueComment => toComment(s, c);
  return {
    getPull: async (number) =>
      request('getPull', () => toPullRequestInfo(pullRequest(s, mustPull(s, number)))),

    listPullFiles: async (number) =>
      request('listPullFiles', () =>
        pullDiff(s, mustPull(s, number))
          .slice(0, MAX_PR_FILES)
          .map((f) => ({
            filename: f.filename,
            status: f.status,
            previousFilename: f.previousFilename,
          })),
      ),

    listReviews: async (number) =>
      request('listReviews', (tok) => {
        mustPull(s, number);
        // Pending reviews are visible to their author only.
        return s.reviews
          .filter((r) => r.pull === number && (r.state !== 'PENDING' || r.user === tok.login))
          .map((r): Review => ({
            id: r.id,
            user: r.user,
            userIsBot: isBotAccount(s.user(r.user)),
            state: r.state as Review['state'],
            commitId: r.commitId,
            submittedAt: r.submittedAt ?? '',
          }));
      }),

    async requestReviewers(number, users, teams) {
      if (users.length === 0 && teams.length === 0) return;
      request('requestReviewers', () => requestReviewers(s, number, users, teams));
    },

    listComments: async (number) =>
      request('listComments', () => {
        if (!s.pull(number)) throw notFound();
        return s.comments.filter((c) => c.issue === number && !c.deleted).map(comment);
      }),

    createComment: async (number, body) =>
      request('createComment', (tok) => comment(addComment(s, number, tok.login, body))),

    async updateComment(commentId, body) {
      request('updateComment', () => editComment(s, commentId, body));
    },

    async addReaction(commentId, content) {
      request('addReaction', (tok) => addReaction(s, commentId, tok.login, content));
    },

    async setStatus(sha, status) {
      request('setStatus', (tok) =>
        addStatus(
          s,
          sha,
          {
            state: status.state,
            description: truncate(status.description),
            targetUrl: status.targetUrl,
            context: status.context,
          },
          tok.login,
        ),
      );
    },

    listStatuses: async (sha) =>
      request('listStatuses', () => {
        const commit = s.git.resolve(sha);
        if (!commit) throw new HttpError(422, `No commit found for SHA: ${sha}`);
        // The combined status, first page of 100 (what the real port reads).
        return latestStatuses(s, commit)
          .slice(0, 100)
          .map((x): CommitStatus => ({
            context: x.context,
            state: x.state,
            description: x.description ?? '',
            targetUrl: x.targetUrl ?? undefined,
          }));
      }),
  };
}

function toComment(s: State, c: CommentRec): IssueComment {
  return {
    id: c.id,
    user: c.user,
    userIsBot: isBotAccount(s.user(c.user)),
    body: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
