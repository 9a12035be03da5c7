// A confirmed rollback over a whole environment: every server switches to the plan's target in
// batches of deploy.batch_size (deploy.parallel at once); on the first failure no further batch
// starts and every server this rollback switched goes back, so the environment stays on one
// release. No upload: the target is already on every server.
import type { EnvironmentConfig, ServerConfig } from '../config/types.js';
import type { ServerRollbackResult } from '../deploy/types.js';
import type { SwitchResult } from '../deploy/switch-release.js';
import type { RunContext } from '../edge/run-context.js';
import type { LedgerRelease } from '../ledger/types.js';

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

export interface RollbackRun {
  /** Every server switched, activated and healthy. */
  ok: boolean;
  target: string;
  /** Why it stopped, when it did. */
  reason?: string;
  batches: string[][];
  /** One per server started, in order. */
  results: SwitchResult[];
  /** Servers switched back to their expected release after the stop (earlier batches too). */
  reverts: ServerRollbackResult[];
  /** Servers of batches that never started: nothing was done there. */
  untouched: string[];
}

export async function rollbackEnvironment(
  ctx: RunContext,
  environment: EnvironmentConfig,
  servers: ServerConfig[],
  plan: RollbackPlan,
  digest: string,
  actor: RollbackActor,
): Promise<RollbackRun> {
  void ctx;
  void environment;
  void digest;
  void actor;
  return {
    ok: false,
    target: plan.target,
    reason: 'not yet',
    batches: [],
    results: [],
    reverts: [],
    untouched: servers.map((s) => s.name),
  };
}
