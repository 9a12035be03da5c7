// A confirmed rollback over a whole environment: every server switches to the plan's target in
// batches of deploy.batch_size (deploy.parallel at once); on the first failure no further batch
// starts and every server this rollback switched goes back, so the environment stays on one
// release. No upload: the target is already on every server. The release each server leaves is
// marked bad by its own switch (same round trip); a revert puts its entry back as it was, so
// nothing is marked unless the whole rollback stands.
import type { EnvironmentConfig, ServerConfig } from '../config/types.js';
import { rollbackRollout, type RollbackRolloutResult } from '../deploy/rollback-rollout.js';
import { revertServer, switchServer } from '../deploy/switch-release.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import { abandonedEntry } from '../ledger/ledger-entry.js';
import type { LedgerRelease } from '../ledger/types.js';
import { loadSshLibrary } from '../ssh/load-library.js';

/** The rollout's per-server results, and the release it went to. */
export type RollbackRun = RollbackRolloutResult & { target: string };

export interface RollbackPlan {
  environment: string;
  /** The release id every server switches to. */
  target: string;
  /** Server name → the release `current` pointed to when the plan was made. */
  expected: Record<string, string>;
  /**
   * Server name → the ledger entry of its expected release (from readLedgers): its fields are
   * kept when it is marked bad. Without one, a minimal entry (id, server, bad) is written.
   */
  abandoned?: Record<string, LedgerRelease | undefined>;
  /** Extra variables for activate and the health check (e.g. RELEASE, APPLICATION of the target). */
  env?: Record<string, string>;
}

export interface RollbackActor {
  login: string;
  pr: number;
}

/** The bad_reason of a release a rollback switched away from. */
export function rolledBackReason(actor: RollbackActor): string {
  return `rolled back by @${actor.login} (#${actor.pr})`;
}

export async function rollbackEnvironment(
  ctx: RunContext,
  environment: EnvironmentConfig,
  servers: ServerConfig[],
  plan: RollbackPlan,
  digest: string,
  actor: RollbackActor,
): Promise<RollbackRun> {
  const { deploy } = environment;
  const { createSshConnector } = await loadSshLibrary();
  const connector = createSshConnector({
    privateKey: (await trustedKey(ctx)).privateKey,
    servers: environment.servers,
  });
  // As a deployment's built-ins, last: the plan's variables cannot replace them.
  const env = { ...plan.env, ENVIRONMENT: plan.environment, DIGEST: digest };
  const lockStaleMinutes = environment.lock.stale_after_minutes;
  const reason = rolledBackReason(actor);
  const common = (name: string) => ({
    deploy,
    digest,
    targetId: plan.target,
    // A server missing from the plan is refused by the switch itself (nothing is switched).
    expectedCurrent: plan.expected[name] ?? '',
    env,
    lockStaleMinutes,
  });
  const run = await rollbackRollout({
    servers,
    deploy,
    connect: (server) => connector.connect(server),
    switchOne: (session, log) => {
      const name = session.server.name;
      const expected = common(name).expectedCurrent;
      return switchServer(session, {
        ...common(name),
        abandonedMeta: abandonedEntry(
          plan.abandoned?.[name],
          { id: expected, server: name },
          reason,
        ),
        log,
      });
    },
    revertOne: (session, log) => revertServer(session, { ...common(session.server.name), log }),
    log: ctx.log,
  });
  return { target: plan.target, ...run };
}
