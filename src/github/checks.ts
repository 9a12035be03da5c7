// What require_checks reads: the commit a ref (a release's tag) names, and the check runs on a
// commit. Commit statuses, the other kind of check, come from statuses.ts (listStatuses).
import { attempt, GitHubConflictError, GitHubNotFoundError } from './errors.js';
import type { PortContext } from './port-context.js';
import type { CheckRunInfo, GitHubPort } from './port.js';

export type ChecksPort = Pick<GitHubPort, 'commitOf' | 'listCheckRuns'>;

export function checksPort({ client, repo }: PortContext): ChecksPort {
  return {
    async commitOf(ref) {
      try {
        // One call: "Get a commit" resolves a SHA, branch or tag name and peels annotated tags.
        const { data } = await attempt('commitOf', () =>
          client.rest.repos.getCommit({ ...repo, ref, per_page: 1 }),
        );
        return data.sha;
      } catch (error) {
        // GitHub answers 422 "No commit found for SHA: <ref>" for a ref that names no commit.
        if (error instanceof GitHubConflictError || error instanceof GitHubNotFoundError)
          return null;
        throw error;
      }
    },

    async listCheckRuns(sha): Promise<CheckRunInfo[]> {
      // `filter: latest` (GitHub's default) lists the newest run of each name; a re-run replaces
      // the one before. Paginated: a busy monorepo has more than 100 check runs on a commit.
      const runs = await attempt('listCheckRuns', () =>
        client.paginate(client.rest.checks.listForRef, {
          ...repo,
          ref: sha,
          filter: 'latest',
          per_page: 100,
        }),
      );
      return runs.map((r) => ({
        id: Number(r.id),
        name: r.name,
        status: r.status,
        conclusion: r.conclusion,
      }));
    },
  };
}
