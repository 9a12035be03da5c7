// Prompts through the port (in memory): listing verifies and filters, refresh reads one
// Deployment's statuses, writes are signed.
import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentStatusRecord } from '../../../src/github/port.js';
import { visibleDescription } from '../../../src/state/deployment-record.js';
import {
  deployedOrRunning,
  listPrompts,
  openPrompt,
  refreshPrompt,
  setPromptState,
  type PromptPort,
} from '../../../src/state/prompts.js';
import { promptPayload, trust } from './records.js';

function memoryPort() {
  const deployments: Deployment[] = [];
  const statuses = new Map<number, DeploymentStatusRecord[]>();
  let clock = 0;
  const port: PromptPort & { reads: number } = {
    reads: 0,
    async listDeployments(environment, sha) {
      return deployments.filter(
        (d) => d.environment === environment && (sha === undefined || d.sha === sha),
      );
    },
    async listDeploymentStatuses(id) {
      port.reads++;
      return [...(statuses.get(id) ?? [])].reverse();
    },
    async createDeployment({ ref, environment, payload }) {
      const d = { id: deployments.length + 1, sha: ref, environment, payload, createdAt: '' };
      deployments.push(d);
      return d;
    },
    async createDeploymentStatus(id, state, input = {}) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, ++clock)).toISOString();
      statuses.set(id, [
        ...(statuses.get(id) ?? []),
        { state, description: input.description ?? '', createdAt: at },
      ]);
    },
  };
  return { port, deployments, statuses };
}

const SHA = 'a'.repeat(40);
const open = (port: PromptPort, pr: number, digest = 'd'.repeat(64)) =>
  openPrompt(port, trust(), {
    sha: SHA,
    environment: 'staging',
    payload: promptPayload(pr, { digest }),
    description: 'web 1.0.0',
  });

describe('prompts through the port', () => {
  it('open, list (newest first, filtered), move on, refresh, deployed-or-running', async () => {
    const { port, statuses } = memoryPort();
    const a = await open(port, 3);
    const b = await open(port, 3, 'e'.repeat(64));
    await open(port, 4);
    expect(visibleDescription(statuses.get(a)![0]!.description)).toBe('Waiting for /confirm');

    const mine = await listPrompts(port, trust(), 'staging', SHA, { pr: 3 });
    expect(mine.map((p) => p.deploymentId)).toEqual([b, a]);
    expect(
      (await listPrompts(port, trust(), 'staging', undefined, { digest: 'e'.repeat(64) })).map(
        (p) => p.deploymentId,
      ),
    ).toEqual([b]);
    port.reads = 0;
    expect(
      await listPrompts(port, trust(), 'staging', SHA, { pr: 3, newestOnly: true }),
    ).toHaveLength(1);
    expect(port.reads).toBe(1);

    expect(
      await deployedOrRunning(port, trust(), 'staging', {
        pr: 3,
        sha: SHA,
        digest: 'd'.repeat(64),
      }),
    ).toBeUndefined();
    await setPromptState(port, trust(), a, 'in_progress', { text: 'Deploying' });
    expect(
      await deployedOrRunning(port, trust(), 'staging', {
        pr: 3,
        sha: SHA,
        digest: 'd'.repeat(64),
      }),
    ).toEqual({ id: a, state: 'in_progress' });
    await setPromptState(port, trust(), a, 'success', { text: 'done' });
    expect(
      await deployedOrRunning(port, trust(), 'staging', {
        pr: 3,
        sha: SHA,
        digest: 'd'.repeat(64),
      }),
    ).toEqual({ id: a, state: 'success' });
    await setPromptState(port, trust(), b, 'failure', { text: 'failed' });
    expect(
      await deployedOrRunning(port, trust(), 'staging', {
        pr: 3,
        sha: SHA,
        digest: 'e'.repeat(64),
      }),
    ).toBeUndefined();

    port.reads = 0;
    expect(await refreshPrompt(port, trust(), mine[1]!)).toMatchObject({ githubState: 'success' });
    expect(port.reads).toBe(1);
  });

  it('what does not verify is skipped with a warning; a refresh of it finds nothing', async () => {
    const { port, deployments } = memoryPort();
    const real = await open(port, 3);
    const [record] = await listPrompts(port, trust(), 'staging', SHA);
    const copy = await port.createDeployment({
      ref: SHA,
      environment: 'staging',
      payload: deployments[0]!.payload,
      description: '',
    });
    await port.createDeploymentStatus(copy.id, 'queued', { description: 'Waiting for /confirm' });
    const warnings: string[] = [];
    expect(
      (await listPrompts(port, trust(warnings), 'staging', SHA)).map((p) => p.deploymentId),
    ).toEqual([real]);
    expect(warnings).toEqual([
      `Ignored Deployment ${copy.id}: no status of it carries a valid deploy-request signature (not written by a trusted deploy-request run).`,
    ]);
    expect(
      await refreshPrompt(port, trust(), { ...record!, deploymentId: copy.id }),
    ).toBeUndefined();
  });
});
