// Signed records as a trusted run writes them, for tests of the readers (src/state/).
import type {
  Deployment,
  DeploymentState,
  DeploymentStatusRecord,
} from '../../../src/github/port.js';
import {
  promptDescription,
  stateDescription,
  type PromptPayload,
} from '../../../src/state/deployment-record.js';
import { createStateSigner } from '../../../src/state/state-signer.js';
import type { TrustedState } from '../../../src/state/prompts.js';

export const SIGNER = createStateSigner(Buffer.from('test deployment key'), 'acme/app');
export const OTHER_SIGNER = createStateSigner(Buffer.from('another key'), 'acme/app');

export function trust(warnings: string[] = []): TrustedState {
  return { signer: SIGNER, warn: (line) => warnings.push(line) };
}

export function promptPayload(pr: number, o: Partial<PromptPayload> = {}): PromptPayload {
  return {
    pr,
    requestFile: 'deploy-requests/web.yml',
    digest: 'd'.repeat(64),
    application: 'web',
    release: '1.0.0',
    expiresAt: '2026-01-02T00:00:00.000Z',
    ...o,
  };
}

export function promptDeployment(
  id: number,
  sha: string,
  payload: PromptPayload,
  environment = 'staging',
): Deployment {
  return { id, sha, environment, payload: { ...payload }, createdAt: '2026-01-01T00:00:00Z' };
}

/**
 * The statuses a trusted run writes: a signed `queued` (the prompt) at `openedAt`, then each later
 * state signed, newest first as GitHub lists them. `signer` lets a test forge with another key.
 */
export function signedHistory(
  d: Deployment,
  later: [DeploymentState, string][] = [],
  o: { openedAt?: string; signer?: typeof SIGNER } = {},
): DeploymentStatusRecord[] {
  const signer = o.signer ?? SIGNER;
  const payload = d.payload as unknown as PromptPayload;
  const opened: DeploymentStatusRecord = {
    state: 'queued',
    description: promptDescription(signer, d, payload, 'Waiting for /confirm'),
    createdAt: o.openedAt ?? '2026-01-01T00:00:00Z',
  };
  const rest = later.map(([state, createdAt]) => ({
    state,
    description: stateDescription(signer, d.id, state, state),
    createdAt,
  }));
  return [opened, ...rest].reverse();
}
