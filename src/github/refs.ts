// Git refs: the environment lock is a branch created atomically (GitHub answers 422 when it
// exists), read to learn who holds it, deleted on release.
import { attempt, GitHubConflictError, GitHubNotFoundError } from './errors.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort } from './port.js';
import { NO_RETRY } from './write-once.js';

export type RefsPort = Pick<GitHubPort, 'createRef' | 'getRefSha' | 'deleteRef'>;

export function refsPort({ client, repo, writeOnce }: PortContext): RefsPort {
  async function getRefSha(ref: string): Promise<string | null> {
    try {
      const { data } = await attempt('getRefSha', () => client.rest.git.getRef({ ...repo, ref }));
      return data.object.sha;
    } catch (error) {
      if (error instanceof GitHubNotFoundError) return null;
      throw error;
    }
  }

  return {
    async createRef(ref, sha) {
      try {
        return await attempt('createRef', () =>
          writeOnce(
            async () => {
              await client.rest.git.createRef({
                ...repo,
                ref: `refs/${ref}`,
                sha,
                request: NO_RETRY,
              });
              return true;
            },
            // A ref has no author or time: pointing at our SHA, it is the one we just created.
            async () => ((await getRefSha(ref)) === sha ? true : undefined),
          ),
        );
      } catch (error) {
        // Exists already (also when our retry after a 5xx finds someone else's).
        if (error instanceof GitHubConflictError) return false;
        throw error;
      }
    },

    getRefSha,

    async deleteRef(ref) {
      try {
        await attempt('deleteRef', () => client.rest.git.deleteRef({ ...repo, ref }));
      } catch (error) {
        // Gone already (404), or GitHub's 422 "Reference does not exist".
        if (!(error instanceof GitHubNotFoundError || error instanceof GitHubConflictError))
          throw error;
      }
    },
  };
}
