// The fake port's Deployments slice: created as the real port asks for them (no auto-merge, no
// required contexts, not transient), their statuses newest first, lists filtered as GitHub
// filters them. Payloads go through JSON, as they do on the wire.
import type { DeploymentState } from '../../../src/domain/deployment-state.js';
import { truncate } from '../../../src/github/port-context.js';
import type { Deployment, GitHubPort } from '../../../src/github/port.js';
import { addDeploymentStatus, latestDeploymentStatus } from '../github-stand-in/deployments.js';
import { HttpError, notFound } from '../github-stand-in/http.js';
import type { DeploymentRec, State } from '../github-stand-in/state.js';
import type { FakeContext } from './request.js';

type DeploymentsPort = Pick<
  GitHubPort,
  | 'createDeployment'
  | 'listDeployments'
  | 'createDeploymentStatus'
  | 'latestDeploymentStatus'
  | 'listDeploymentStatuses'
>;

export function deploymentsPort({ state: s, request }: FakeContext): DeploymentsPort {
  return {
    createDeployment: async ({ ref, environment, payload, description }) =>
      request('createDeployment', (tok) => {
        const sha = s.git.resolve(ref);
        if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);
        const now = s.now();
        const rec: DeploymentRec = {
          id: s.nextId('deployment', 6_000_000),
          sha,
          ref,
          task: 'deploy',
          payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown>,
          environment,
          description,
          creator: tok.login,
          createdAt: now,
          updatedAt: now,
          transient: false,
          production: environment === 'production',
        };
        s.deployments.push(rec);
        return toDeployment(rec);
      }),

    listDeployments: async (environment, sha) =>
      request('listDeployments', () =>
        s.deployments
          .filter((d) => (!sha || d.sha === sha) && (!environment || d.environment === environment))
          .reverse()
          .map(toDeployment),
      ),

    async createDeploymentStatus(deploymentId, state, input = {}) {
      request('createDeploymentStatus', (tok) =>
        addDeploymentStatus(
          s,
          deploymentId,
          {
            state,
            description: input.description ? truncate(input.description) : undefined,
            logUrl: input.logUrl,
            environmentUrl: input.environmentUrl,
            autoInactive: false,
          },
          tok.login,
        ),
      );
    },

    latestDeploymentStatus: async (deploymentId) =>
      request('latestDeploymentStatus', () => {
        mustDeployment(s, deploymentId);
        const newest = latestDeploymentStatus(s, deploymentId);
        return newest
          ? { state: newest.state as DeploymentState, createdAt: newest.createdAt }
          : null;
      }),

    listDeploymentStatuses: async (deploymentId) =>
      request('listDeploymentStatuses', () => {
        mustDeployment(s, deploymentId);
        return s.deploymentStatuses
          .filter((x) => x.deploymentId === deploymentId)
          .reverse()
          .map((x) => ({
            state: x.state as DeploymentState,
            description: x.description,
            createdAt: x.createdAt,
          }));
      }),
  };
}

function mustDeployment(s: State, id: number): DeploymentRec {
  const d = s.deployments.find((x) => x.id === id);
  if (!d) throw notFound();
  return d;
}

function toDeployment(d: DeploymentRec): Deployment {
  // A payload sent as a string is parsed, and unparsable text reads as {} (the real port's rule).
  let payload: Record<string, unknown> = {};
  try {
    payload =
      typeof d.payload === 'string'
        ? (JSON.parse(d.payload) as Record<string, unknown>)
        : structuredClone(d.payload);
  } catch {
    /* not JSON */
  }
  return { id: d.id, sha: d.sha, environment: d.environment, payload, createdAt: d.createdAt };
}
