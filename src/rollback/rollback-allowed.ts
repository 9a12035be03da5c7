// Who may /rollback and confirm a rollback: the environment's `rollback.allowed` (logins and
// org/team slugs), by default the reviewers of every approval stage, so an on-call approver can
// act without the requester. Membership itself is approval/listed-people.ts (teams as data).
import type { EnvironmentConfig } from '../config/types.js';
import { displayLogin, isTeamEntry, loginKey } from '../domain/logins.js';

export interface RollbackAllowed {
  /** Entries as configured (or gathered from the stages), each once, in config order. */
  entries: string[];
  /** Whether they come from `rollback.allowed` (else from the stages' reviewers). */
  configured: boolean;
}

export function rollbackAllowed(environment: EnvironmentConfig): RollbackAllowed {
  const configured = environment.rollback.allowed !== undefined;
  const raw =
    environment.rollback.allowed ?? environment.approval.stages.flatMap((s) => s.reviewers);
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const entry of raw) {
    if (seen.has(loginKey(entry))) continue;
    seen.add(loginKey(entry));
    entries.push(displayLogin(entry));
  }
  return { entries, configured };
}

/** The refusal for someone not allowed, naming who is. */
export function notAllowedReason(allowed: RollbackAllowed, commenter: string): string {
  const who = allowed.entries.length
    ? allowed.entries.map((e) => (isTeamEntry(e) ? `\`${e}\`` : `@${e}`)).join(', ')
    : 'nobody';
  const source = allowed.configured
    ? '`rollback.allowed` of the environment'
    : 'the approvers of every stage (no `rollback.allowed` is configured)';
  return `@${displayLogin(commenter)} may not roll back this environment; only ${who} may (${source}).`;
}
