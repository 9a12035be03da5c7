// Commit statuses (the deploy-request/* contexts, src/domain/status-contexts.ts).
import { truncate, type PortContext } from './port-context.js';
import type { CommitStatus, GitHubPort } from './port.js';

export type StatusesPort = Pick<GitHubPort, 'setStatus' | 'listStatuses'>;

export function statusesPort({ client, repo }: PortContext): StatusesPort {
  return {
    async setStatus(sha, status) {
      await client.rest.repos.createCommitStatus({
        ...repo,
        sha,
        context: status.context,
        state: status.state,
        description: truncate(status.description),
        target_url: status.targetUrl,
      });
    },

    async listStatuses(sha): Promise<CommitStatus[]> {
      const { data } = await client.rest.repos.getCombinedStatusForRef({
        ...repo,
        ref: sha,
        per_page: 100,
      });
      return data.statuses.map((s) => ({
        context: s.context,
        state: s.state as CommitStatus['state'],
        description: s.description ?? '',
        targetUrl: s.target_url ?? undefined,
      }));
    },
  };
}
