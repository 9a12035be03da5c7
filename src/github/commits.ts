// Git commits through the git database API: a hold (/lock) is a commit whose message carries the
// signed facts, made on an existing tree with no parents so it changes no branch's history.
// Creating one twice is harmless (an unreferenced commit), so the client's retries may repeat it.
import { attempt, GitHubNotFoundError } from './errors.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort } from './port.js';

export type CommitsPort = Pick<GitHubPort, 'createCommit' | 'getCommit'>;

export function commitsPort({ client, repo }: PortContext): CommitsPort {
  return {
    async createCommit(message, treeSha) {
      const { data } = await attempt('createCommit', () =>
        client.rest.git.createCommit({ ...repo, message, tree: treeSha, parents: [] }),
      );
      return data.sha;
    },

    async getCommit(sha) {
      try {
        const { data } = await attempt('getCommit', () =>
          client.rest.git.getCommit({ ...repo, commit_sha: sha }),
        );
        return { message: data.message, treeSha: data.tree.sha };
      } catch (error) {
        if (error instanceof GitHubNotFoundError) return null;
        throw error;
      }
    },
  };
}
