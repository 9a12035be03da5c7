// The trusted run's records in GitHub Deployments (invariant 11): a Deployment is one of our
// confirmation prompts only when its `queued` status carries a MAC over the prompt's facts and the
// Deployment's own id; every later state counts only when its status carries a MAC over the id and
// that state. States only move forward (queued → in_progress → finished), so a replayed or forged
// status can neither reopen, extend nor close a prompt.
import type { Deployment, DeploymentState, DeploymentStatusRecord } from '../github/port.js';
import type { StateSigner } from './state-signer.js';

/** What the prompt's Deployment payload holds (readable by anyone, trusted only once verified). */
export interface PromptPayload {
  pr: number;
  requestFile: string;
  digest: string;
  application: string;
  release: string;
  expiresAt: string;
  /**
   * Set on a rollback plan only: deployment prompts (every prompt written before rollbacks
   * existed) have none of the three, so their signed facts are unchanged.
   */
  kind?: 'rollback';
  /** The release `current` is switched to. */
  rollbackTo?: string;
  /** Per server name, the release `current` must still point to when the switch starts. */
  expected?: Record<string, string>;
  /**
   * require_checks: the commit the checks were read on and their states, as bound into the
   * digest; /confirm compares them to say what changed. Absent without the gate, so the signed
   * facts of every other prompt are unchanged.
   */
  checks?: { commit: string; states: Record<string, string> };
}

export type RecordState = 'queued' | 'in_progress' | 'finished';

export interface PromptRecord extends PromptPayload {
  deploymentId: number;
  sha: string;
  environment: string;
  /** The furthest state a verified status reached, and when it was first set. */
  state: RecordState;
  /** The verified state as GitHub names it (e.g. `success`, `inactive`). */
  githubState: DeploymentState;
  since: string;
}

/** A verified rollback plan (readPrompt parses all three fields or none). */
export type RollbackPromptRecord = PromptRecord &
  Required<Pick<PromptPayload, 'kind' | 'rollbackTo' | 'expected'>>;

export function isRollbackPrompt(p: PromptRecord): p is RollbackPromptRecord {
  return p.kind === 'rollback';
}

const TAG = /\s\[dr1:([A-Za-z0-9_-]{22})\]$/;
const DESCRIPTION_MAX = 140; // GitHub refuses longer descriptions with 422.

const RANK: Record<DeploymentState, number> = {
  queued: 0,
  pending: 0,
  in_progress: 1,
  success: 2,
  failure: 2,
  error: 2,
  inactive: 2,
};

function recordState(state: DeploymentState): RecordState {
  return RANK[state] === 0 ? 'queued' : RANK[state] === 1 ? 'in_progress' : 'finished';
}

/** Just the payload's fields (a PromptRecord carries more). */
export function promptPayloadOf(p: PromptPayload): PromptPayload {
  const { pr, requestFile, digest, application, release, expiresAt } = p;
  const base = {
    pr,
    requestFile,
    digest,
    application,
    release,
    expiresAt,
    ...(p.checks ? { checks: { commit: p.checks.commit, states: { ...p.checks.states } } } : {}),
  };
  if (p.kind !== 'rollback') return base;
  return { ...base, kind: p.kind, rollbackTo: p.rollbackTo, expected: { ...p.expected } };
}

function promptFacts(d: Pick<Deployment, 'id' | 'sha' | 'environment'>, p: PromptPayload) {
  return {
    k: 'prompt',
    id: d.id,
    sha: d.sha.toLowerCase(),
    environment: d.environment,
    ...promptPayloadOf(p),
  };
}

function withTag(text: string, mac: string): string {
  const tag = ` [dr1:${mac}]`;
  const room = DESCRIPTION_MAX - tag.length;
  return `${text.length <= room ? text : `${text.slice(0, room - 1)}…`}${tag}`;
}

/** The `queued` status description that makes a Deployment our prompt. */
export function promptDescription(
  signer: StateSigner,
  deployment: Pick<Deployment, 'id' | 'sha' | 'environment'>,
  payload: PromptPayload,
  text: string,
): string {
  return withTag(text, signer.mac(promptFacts(deployment, payload)));
}

/** A later state's description (in_progress, success, failure, inactive). */
export function stateDescription(
  signer: StateSigner,
  deploymentId: number,
  state: DeploymentState,
  text: string,
): string {
  return withTag(text, signer.mac({ k: 'state', id: deploymentId, state }));
}

/** The text people see, without our tag. */
export function visibleDescription(description: string): string {
  return description.replace(TAG, '');
}

function payloadOf(d: Deployment): PromptPayload | undefined {
  const p = d.payload;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (typeof p.pr !== 'number' || !str(p.requestFile) || !str(p.digest)) return undefined;
  if (!str(p.application) || !str(p.release) || !str(p.expiresAt)) return undefined;
  const base = {
    pr: p.pr,
    requestFile: p.requestFile,
    digest: p.digest,
    application: p.application,
    release: p.release,
    expiresAt: p.expiresAt,
    ...checksOf(p.checks),
  };
  if (p.kind === undefined) return base;
  // Any other kind, or a rollback without its plan, is nothing we wrote.
  const expected = p.expected as Record<string, unknown> | null | undefined;
  if (p.kind !== 'rollback' || !str(p.rollbackTo) || typeof expected !== 'object' || !expected)
    return undefined;
  if (Array.isArray(expected) || !Object.values(expected).every(str)) return undefined;
  return {
    ...base,
    kind: 'rollback',
    rollbackTo: p.rollbackTo,
    expected: { ...(expected as Record<string, string>) },
  };
}

/** A payload's require_checks facts, when they are well formed (else none: they only explain). */
function checksOf(v: unknown): Pick<PromptPayload, 'checks'> {
  const c = v as { commit?: unknown; states?: unknown } | null | undefined;
  if (typeof c !== 'object' || c === null || typeof c.commit !== 'string') return {};
  const states = c.states as Record<string, unknown> | null | undefined;
  if (typeof states !== 'object' || !states || Array.isArray(states)) return {};
  if (!Object.values(states).every((s) => typeof s === 'string')) return {};
  return { checks: { commit: c.commit, states: { ...(states as Record<string, string>) } } };
}

/**
 * The verified prompt a Deployment carries, or undefined (with `why`) when nothing about it is
 * authenticated: then it opens, extends and closes nothing. `statuses` in any order.
 */
export function readPrompt(
  signer: StateSigner,
  deployment: Deployment,
  statuses: DeploymentStatusRecord[],
): { record: PromptRecord } | { why: string } {
  const payload = payloadOf(deployment);
  if (!payload) return { why: 'its payload is not a deploy-request prompt' };
  const facts = promptFacts(deployment, payload);
  const oldestFirst = [...statuses].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
  let opened: DeploymentStatusRecord | undefined;
  let furthest: DeploymentStatusRecord | undefined;
  for (const status of oldestFirst) {
    const mac = TAG.exec(status.description)?.[1];
    if (!mac) continue;
    if (RANK[status.state] === 0) {
      if (!opened && signer.verify(facts, mac)) opened = status;
      continue;
    }
    if (!signer.verify({ k: 'state', id: deployment.id, state: status.state }, mac)) continue;
    if (!furthest || RANK[status.state] > RANK[furthest.state]) furthest = status;
  }
  if (!opened) return { why: 'no status of it carries a valid deploy-request signature' };
  const reached = furthest ?? opened;
  return {
    record: {
      ...payload,
      deploymentId: deployment.id,
      sha: deployment.sha,
      environment: deployment.environment,
      state: recordState(reached.state),
      githubState: reached.state,
      since: reached.createdAt,
    },
  };
}
