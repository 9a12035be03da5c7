// May this /confirm deploy? Pure: every fact comes in as data, the answer is a go or the
// reason to refuse (invariant 4). The order puts the most specific, most helpful reason first.
import type { DeploymentState } from '../domain/deployment-state.js';
import { digestMatches, DIGEST_MIN } from './digest.js';

export interface ConfirmPrompt {
  deploymentId: number;
  digest: string;
  expiresAt: string;
  state: DeploymentState | null;
}

export interface ConfirmFacts {
  commenter: string;
  /** The PR author plus the config's confirm.requesters. */
  requesters: string[];
  typedDigest: string;
  /** Set when the request no longer verifies (closed, fork, invalid, approvals lost…). */
  verificationFailure?: string;
  /** The digest of the request, config and head as they are now. */
  currentDigest: string;
  /**
   * Why the current digest differs from the prompt's, when a policy fact bound into it is known
   * to have changed (e.g. "the checks on abc1234 changed since the prompt (…)."); more useful
   * than "the configuration changed".
   */
  digestChange?: string;
  /** The newest confirmation prompt of this PR for the current head SHA. */
  prompt?: ConfirmPrompt;
  now: Date;
  prefix: string;
  /** The command that makes a new prompt (default `<prefix>recheck`; a rollback's is `<prefix>rollback`). */
  renew?: string;
}

export type ConfirmDecision =
  { ok: true; prompt: ConfirmPrompt } | { ok: false; reason: string; expired?: boolean };

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function decideConfirm(f: ConfirmFacts): ConfirmDecision {
  const renew = f.renew ?? `${f.prefix}recheck`;
  const refuse = (reason: string): ConfirmDecision => ({ ok: false, reason });
  if (!f.requesters.some((r) => same(r, f.commenter))) {
    return refuse(
      `only the requester (${f.requesters.map((r) => `@${r}`).join(', ')}) may confirm this deployment.`,
    );
  }
  if (!/^[0-9a-f]+$/.test(f.typedDigest) || f.typedDigest.length < DIGEST_MIN) {
    return refuse(
      `give the digest from the confirmation comment: \`${f.prefix}confirm <digest>\` (at least ${DIGEST_MIN} hex characters).`,
    );
  }
  if (f.verificationFailure) return refuse(f.verificationFailure);
  if (!f.prompt) {
    return refuse(
      'there is no confirmation prompt for the current head commit: a new push voids earlier prompts. Wait for the environment checks to post one, or comment `/recheck`.',
    );
  }
  if (f.prompt.state === 'in_progress') return refuse('this deployment is already in progress.');
  if (f.prompt.state === 'success')
    return refuse('this plan has already been deployed; nothing is deployed twice.');
  if (f.prompt.state !== 'queued') {
    return refuse(
      `the confirmation prompt is no longer open (its deployment is ${f.prompt.state ?? 'unknown'}). Comment \`${renew}\` for a new one.`,
    );
  }
  if (f.now.getTime() > Date.parse(f.prompt.expiresAt)) {
    return {
      ok: false,
      expired: true,
      reason: `the confirmation prompt expired at ${f.prompt.expiresAt}. Comment \`${renew}\` for a new one.`,
    };
  }
  if (!digestMatches(f.typedDigest, f.prompt.digest)) {
    return refuse(
      `the digest does not match the current confirmation prompt (\`${f.prompt.digest.slice(0, 16)}\`); it may be from an older prompt.`,
    );
  }
  if (f.prompt.digest !== f.currentDigest && f.digestChange) {
    return refuse(
      `${f.digestChange} Nothing was deployed. Comment \`${renew}\` for a new prompt once that is resolved.`,
    );
  }
  if (f.prompt.digest !== f.currentDigest) {
    return refuse(
      `the configuration changed since the prompt: the trusted configuration on the default branch was edited after the prompt was posted. Comment \`${renew}\` for a new prompt.`,
    );
  }
  return { ok: true, prompt: f.prompt };
}
