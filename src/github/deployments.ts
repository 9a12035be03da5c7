// GitHub Deployments and their statuses: the prompt, its signed states and the deployment record
// (src/state/). Creating one is a write GitHub must not apply twice (write-once.ts).
import { isDeepStrictEqual } from 'node:util';
import type { DeploymentState } from '../domain/deployment-state.js';
import { truncate, type PortContext } from './port-context.js';
import type { Deployment, GitHubPort } from './port.js';
import { NO_RETRY } from './write-once.js';

export type DeploymentsPort = Pick<
  GitHubPort,
  | 'createDeployment'
  | 'listDeployments'
  | 'createDeploymentStatus'
  | 'latestDeploymentStatus'
  | 'listDeploymentStatuses'
>;

export function deploymentsPort({ client, repo, writeOnce }: PortContext): DeploymentsPort {
  return {
    async createDeployment({ ref, environment, payload, description }): Promise<Deployment> {
      return writeOnce(
        async () => {
          const { data } = await client.rest.repos.createDeployment({
            ...repo,
            ref,
            environment,
            payload,
            description,
            auto_merge: false,
            // Omitted, GitHub answers 409 while any status on the commit is not success.
            required_contexts: [],
            transient_environment: false,
            request: NO_RETRY,
          });
          if (!('id' in data))
            throw new Error(`GitHub did not create the deployment: ${data.message ?? ''}`);
          return toDeployment(data);
        },
        // Ours: same ref, environment and payload (the PR, the digest, …), newest first.
        async (since) => {
          const sent: unknown = JSON.parse(JSON.stringify(payload));
          const listed = await client.paginate(client.rest.repos.listDeployments, {
            ...repo,
            ref,
            environment,
            per_page: 100,
          });
          return listed
            .map(toDeployment)
            .find((d) => isDeepStrictEqual(d.payload, sent) && Date.parse(d.createdAt) >= since);
        },
      );
    },

    async listDeployments(environment, sha) {
      const deployments = await client.paginate(client.rest.repos.listDeployments, {
        ...repo,
        environment,
        sha,
        per_page: 100,
      });
      return deployments.map(toDeployment);
    },

    async createDeploymentStatus(deploymentId, state, input = {}) {
      await client.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: deploymentId,
        state,
        description: input.description ? truncate(input.description) : undefined,
        log_url: input.logUrl,
        environment_url: input.environmentUrl,
        auto_inactive: false,
      });
    },

    async latestDeploymentStatus(deploymentId) {
      const { data } = await client.rest.repos.listDeploymentStatuses({
        ...repo,
        deployment_id: deploymentId,
        per_page: 1,
      });
      const newest = data[0];
      return newest
        ? { state: newest.state as DeploymentState, createdAt: newest.created_at }
        : null;
    },

    async listDeploymentStatuses(deploymentId) {
      const statuses = await client.paginate(client.rest.repos.listDeploymentStatuses, {
        ...repo,
        deployment_id: deploymentId,
        per_page: 100,
      });
      return statuses.map((s) => ({
        state: s.state as DeploymentState,
        description: s.description ?? '',
        createdAt: s.created_at,
      }));
    },
  };
}

function toDeployment(d: {
  id: number;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
}): Deployment {
  const payload =
    typeof d.payload === 'string'
      ? (safeJson(d.payload) as Record<string, unknown>)
      : ((d.payload ?? {}) as Record<string, unknown>);
  return { id: d.id, sha: d.sha, environment: d.environment, payload, createdAt: d.created_at };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
