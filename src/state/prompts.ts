// Reading and writing the trusted run's prompts (Deployments) through the GitHub port, with every
// record signed on write and verified on read (invariant 11). What does not verify is logged and
// ignored: it can neither open, extend nor close a prompt, nor make a lock look stale.
import type { DeploymentState, GitHubPort } from '../github/port.js';
import {
  promptDescription,
  promptPayloadOf,
  readPrompt,
  stateDescription,
  type PromptPayload,
  type PromptRecord,
} from './deployment-record.js';
import type { StateSigner } from './state-signer.js';

export interface TrustedState {
  signer: StateSigner;
  /** Where a record that does not verify is reported (the job log). */
  warn(line: string): void;
}

export type PromptPort = Pick<
  GitHubPort,
  'listDeployments' | 'listDeploymentStatuses' | 'createDeployment' | 'createDeploymentStatus'
>;

export interface PromptFilter {
  pr?: number;
  digest?: string;
  /** Stop at the newest verified prompt. */
  newestOnly?: boolean;
}

/** Verified prompts of an environment (at a commit, when given), newest first. */
export async function listPrompts(
  github: Pick<PromptPort, 'listDeployments' | 'listDeploymentStatuses'>,
  trust: TrustedState,
  environment: string,
  sha: string | undefined,
  filter: PromptFilter = {},
): Promise<PromptRecord[]> {
  const candidates = (await github.listDeployments(environment, sha))
    .filter((d) => filter.pr === undefined || d.payload.pr === filter.pr)
    .filter((d) => filter.digest === undefined || d.payload.digest === filter.digest)
    .sort((a, b) => b.id - a.id);
  const found: PromptRecord[] = [];
  for (const deployment of candidates) {
    const read = readPrompt(
      trust.signer,
      deployment,
      await github.listDeploymentStatuses(deployment.id),
    );
    if ('why' in read) {
      trust.warn(
        `Ignored Deployment ${deployment.id}: ${read.why} (not written by a trusted deploy-request run).`,
      );
      continue;
    }
    found.push(read.record);
    if (filter.newestOnly) break;
  }
  return found;
}

/** The same prompt as it stands now (one read: its statuses), e.g. again under the lock. */
export async function refreshPrompt(
  github: Pick<PromptPort, 'listDeploymentStatuses'>,
  trust: TrustedState,
  prompt: PromptRecord,
): Promise<PromptRecord | undefined> {
  const { deploymentId: id, sha, environment } = prompt;
  const payload = { ...promptPayloadOf(prompt) };
  const deployment = { id, sha, environment, payload, createdAt: '' };
  const read = readPrompt(trust.signer, deployment, await github.listDeploymentStatuses(id));
  return 'record' in read ? read.record : undefined;
}

/** Creates the Deployment and its signed `queued` status: the prompt exists from then on. */
export async function openPrompt(
  github: Pick<PromptPort, 'createDeployment' | 'createDeploymentStatus'>,
  trust: TrustedState,
  o: {
    sha: string;
    environment: string;
    payload: PromptPayload;
    description: string;
    logUrl?: string;
  },
): Promise<number> {
  const deployment = await github.createDeployment({
    ref: o.sha,
    environment: o.environment,
    payload: { ...o.payload },
    description: o.description,
  });
  await github.createDeploymentStatus(deployment.id, 'queued', {
    description: promptDescription(trust.signer, deployment, o.payload, 'Waiting for /confirm'),
    logUrl: o.logUrl,
  });
  return deployment.id;
}

/** Moves a prompt on (in_progress, success, failure, inactive) with a signed status. */
export async function setPromptState(
  github: Pick<PromptPort, 'createDeploymentStatus'>,
  trust: TrustedState,
  deploymentId: number,
  state: Exclude<DeploymentState, 'queued' | 'pending'>,
  o: { text: string; logUrl?: string; environmentUrl?: string },
): Promise<void> {
  await github.createDeploymentStatus(deploymentId, state, {
    description: stateDescription(trust.signer, deploymentId, state, o.text),
    logUrl: o.logUrl,
    environmentUrl: o.environmentUrl,
  });
}

export interface DeployedOrRunning {
  id: number;
  state: 'success' | 'in_progress';
}

/**
 * A verified deployment of this PR for this exact plan that has run or is running (invariant 5):
 * a re-run of the hand-over or a /recheck must not open a new prompt for it, or the same /confirm
 * would deploy it a second time.
 */
export async function deployedOrRunning(
  github: Pick<PromptPort, 'listDeployments' | 'listDeploymentStatuses'>,
  trust: TrustedState,
  environment: string,
  o: { pr: number; sha: string; digest: string },
): Promise<DeployedOrRunning | undefined> {
  const prompts = await listPrompts(github, trust, environment, o.sha, {
    pr: o.pr,
    digest: o.digest,
  });
  for (const p of prompts) {
    if (p.githubState === 'success') return { id: p.deploymentId, state: 'success' };
    if (p.state === 'in_progress') return { id: p.deploymentId, state: 'in_progress' };
  }
  return undefined;
}

/**
 * For a run without the key (the gate, when a pull request closes): this PR's queued Deployments
 * get an `inactive` status so GitHub's environment page stays tidy. It is not signed, so no
 * trusted run relies on it; the trusted run refuses commands on a closed pull request by itself.
 */
export async function markPromptsClosedUnsigned(
  github: Pick<GitHubPort, 'listDeployments' | 'latestDeploymentStatus' | 'createDeploymentStatus'>,
  environment: string,
  pr: number,
  why: string,
  logUrl: string | undefined,
): Promise<void> {
  const mine = (await github.listDeployments(environment)).filter((d) => d.payload.pr === pr);
  for (const deployment of mine) {
    if ((await github.latestDeploymentStatus(deployment.id))?.state !== 'queued') continue;
    await github.createDeploymentStatus(deployment.id, 'inactive', {
      description: why.slice(0, 140),
      logUrl,
    });
  }
}
