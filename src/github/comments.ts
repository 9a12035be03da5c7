// Comments on the pull request conversation, and reactions to them. Creating one is a write
// GitHub must not apply twice: after a 5xx, ours is looked for before sending it again.
import { isBotAccount } from '../domain/logins.js';
import { attempt, GitHubForbiddenError } from './errors.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort, IssueComment } from './port.js';
import { NO_RETRY } from './write-once.js';

export type CommentsPort = Pick<
  GitHubPort,
  'listComments' | 'createComment' | 'updateComment' | 'addReaction'
>;

export function commentsPort({ client, repo, writeOnce }: PortContext): CommentsPort {
  /** The token's login; null for an installation token (GITHUB_TOKEN), which cannot read /user. */
  async function tokenLogin(): Promise<string | null> {
    try {
      return (await attempt('getAuthenticatedUser', () => client.rest.users.getAuthenticated()))
        .data.login;
    } catch (error) {
      if (error instanceof GitHubForbiddenError && error.status === 403) return null;
      throw error;
    }
  }

  async function listComments(number: number): Promise<IssueComment[]> {
    const comments = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number: number,
      per_page: 100,
    });
    return comments.map(toComment);
  }

  return {
    listComments,

    async createComment(number, body) {
      return writeOnce(
        async () => {
          const { data } = await client.rest.issues.createComment({
            ...repo,
            issue_number: number,
            body,
            request: NO_RETRY,
          });
          return toComment(data);
        },
        // Ours: this body, by this token's user (an installation token's user is a bot), newest.
        async (since) => {
          const login = await tokenLogin();
          return (await listComments(number))
            .filter((c) => c.body === body && Date.parse(c.createdAt) >= since)
            .filter((c) => (login === null ? c.userIsBot : c.user === login))
            .pop();
        },
      );
    },

    async updateComment(commentId, body) {
      await client.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
    },

    async addReaction(commentId, content) {
      await client.rest.reactions.createForIssueComment({
        ...repo,
        comment_id: commentId,
        content,
      });
    },
  };
}

function toComment(c: {
  id: number;
  user: { login: string; type?: string } | null;
  body?: string;
  created_at: string;
  updated_at: string;
}): IssueComment {
  return {
    id: c.id,
    user: c.user?.login ?? 'ghost',
    userIsBot: isBotAccount(c.user),
    body: c.body ?? '',
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
