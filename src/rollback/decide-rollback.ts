// May this /rollback be offered? Pure, in the order that gives the most useful reason first
// (after the request verified: it names the environment and servers): the commenter must be
// allowed, the pull request must have deployed, and nothing may be moving the environment (a
// running deployment's lock, or a hold set with /lock).
import { holdSentence } from '../report/hold-view.js';
import type { Inline } from '../report/markdown.js';
import type { Hold } from '../state/environment-hold.js';

export interface RollbackStartFacts {
  environment: string;
  prefix: string;
  /** Set when the commenter may not roll back: the refusal naming who may. */
  notAllowed?: string;
  /** Whether a verified deployment prompt of this pull request reached `success`. */
  deployed: boolean;
  /** Who holds the environment's deploy lock, when someone does. */
  lockHolder?: string;
  hold?: Hold;
}

export type RollbackStart = { ok: true } | { ok: false; reason: Inline[] };

/** Without a verified request there is no environment to roll back, nor anyone to allow. */
export function unverifiedReason(why: string): string {
  return `the request of this pull request no longer verifies: ${why}`;
}

export function decideRollbackStart(f: RollbackStartFacts): RollbackStart {
  const refuse = (reason: string): RollbackStart => ({ ok: false, reason: [reason] });
  if (f.notAllowed) return refuse(f.notAllowed);
  if (!f.deployed)
    return refuse(
      `this pull request has not deployed to \`${f.environment}\`; a rollback is offered only on a pull request whose deployment succeeded.`,
    );
  if (f.lockHolder)
    return refuse(
      `a deployment is running on \`${f.environment}\` (the lock is held by ${f.lockHolder}); comment \`${f.prefix}rollback\` again when it has finished.`,
    );
  if (f.hold) return { ok: false, reason: holdSentence(f.hold, f.prefix) };
  return { ok: true };
}
