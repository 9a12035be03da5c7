// May this /rollback be offered? Pure, in the order that gives the most useful reason first
// (after the request verified: it names the environment and servers): the commenter must be
// allowed, the pull request must have deployed, and nothing may be moving the environment (a
// running deployment's lock, or a hold set with /lock).

export interface HoldFacts {
  holder: string;
  reason: string;
  since: string;
  expiresAt?: string;
}

export interface RollbackStartFacts {
  environment: string;
  prefix: string;
  /** Set when the commenter may not roll back: the refusal naming who may. */
  notAllowed?: string;
  /** Whether a verified deployment prompt of this pull request reached `success`. */
  deployed: boolean;
  /** Who holds the environment's deploy lock, when someone does. */
  lockHolder?: string;
  hold?: HoldFacts;
}

export type RollbackStart = { ok: true } | { ok: false; reason: string };

export function holdReason(environment: string, hold: HoldFacts, prefix: string): string {
  const until = hold.expiresAt ? `, until ${hold.expiresAt}` : '';
  return `environment \`${environment}\` is held by @${hold.holder} since ${hold.since} (reason: ${hold.reason}${until}); an operator can \`${prefix}unlock ${environment}\`.`;
}

/** Without a verified request there is no environment to roll back, nor anyone to allow. */
export function unverifiedReason(why: string): string {
  return `the request of this pull request no longer verifies: ${why}`;
}

export function decideRollbackStart(f: RollbackStartFacts): RollbackStart {
  const refuse = (reason: string): RollbackStart => ({ ok: false, reason });
  if (f.notAllowed) return refuse(f.notAllowed);
  if (!f.deployed)
    return refuse(
      `this pull request has not deployed to \`${f.environment}\`; a rollback is offered only on a pull request whose deployment succeeded.`,
    );
  if (f.lockHolder)
    return refuse(
      `a deployment is running on \`${f.environment}\` (the lock is held by ${f.lockHolder}); comment \`${f.prefix}rollback\` again when it has finished.`,
    );
  if (f.hold) return refuse(holdReason(f.environment, f.hold, f.prefix));
  return { ok: true };
}
