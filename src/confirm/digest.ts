// The confirmation digest binds what was approved and checked to what /confirm deploys:
// the canonical request, the environment's trusted config, the config file's blob SHA (any change
// to the file on the default branch voids the prompt, invariant 1) and the head SHA (SPEC §5).
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/types.js';
import { canonicalJson } from '../request/canonical.js';
import type { DeployRequest } from '../request/types.js';

/** Hex characters shown to people and required in `/confirm` at the least. */
export const DIGEST_SHOWN = 16;
export const DIGEST_MIN = 12;

/**
 * Facts the policy gates established when the prompt was made, bound so that /confirm deploys
 * only under the same facts. The rules themselves (windows, require_checks, emergency) are part
 * of `environment` and so already bound.
 */
export interface PolicyFacts {
  /** require_checks: the commit the checks were read on, and each named check's state. */
  checks?: { commit: string; states: Record<string, string> };
  /** An emergency request: the reason, who switched it, when. */
  emergency?: { reason: string; by: string; at: string };
}

export function requestDigest(
  request: DeployRequest,
  environment: EnvironmentConfig,
  headSha: string,
  configSha: string,
  policy: PolicyFacts = {},
): string {
  const material = canonicalJson({
    v: 1,
    request,
    environment,
    headSha: headSha.toLowerCase(),
    configSha: configSha.toLowerCase(),
    // Absent when no gate applies, so digests without policies are what they always were.
    ...(Object.keys(policy).length > 0 ? { policy } : {}),
  });
  return createHash('sha256').update(material).digest('hex');
}

/** What a rollback's /confirm switches, bound as tightly as a deployment's plan. */
export interface RollbackDigestFacts {
  environment: string;
  target: string;
  /** Per server, the release `current` points to when the plan is made. */
  expected: Record<string, string>;
  configSha: string;
  headSha: string;
}

/**
 * A rollback plan's digest: its own `kind`, so it can never equal a deployment's digest; the
 * expected current releases, so a deployment or another rollback in between voids the plan.
 */
export function rollbackDigest(f: RollbackDigestFacts): string {
  const material = canonicalJson({
    v: 1,
    kind: 'rollback',
    environment: f.environment,
    target: f.target,
    expected: f.expected,
    headSha: f.headSha.toLowerCase(),
    configSha: f.configSha.toLowerCase(),
  });
  return createHash('sha256').update(material).digest('hex');
}

/** Whether a typed digest (a prefix of at least DIGEST_MIN hex characters) names this digest. */
export function digestMatches(typed: string, digest: string): boolean {
  const prefix = typed.trim().toLowerCase();
  return /^[0-9a-f]+$/.test(prefix) && prefix.length >= DIGEST_MIN && digest.startsWith(prefix);
}
