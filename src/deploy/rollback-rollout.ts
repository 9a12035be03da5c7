// A rollback across servers, atomic for the environment: batches of batch_size (parallel at
// once); the first failing server (which switched itself back) stops it, no further batch
// starts, and every server this rollback switched goes back to its expected release, so the
// environment stays on one release. Decisions come from nextRolloutStep with no failure allowed.
import type { DeployConfig, ServerConfig } from '../config/types.js';
import type { RunLog, ServerLog } from '../ssh/run-on-servers.js';
import type { ServerSession } from '../ssh/types.js';
import { nextRolloutStep, planBatches } from './rollout-plan.js';
import { runBatch, switchBackEach, type Connect } from './server-batch.js';
import type { SwitchResult } from './switch-release.js';
import type { ServerRollbackResult } from './types.js';

export interface RollbackRolloutOptions {
  servers: ServerConfig[];
  deploy: Pick<DeployConfig, 'parallel' | 'batch_size'>;
  connect: Connect;
  /** switchServer on one server; reports failures in its result rather than throwing. */
  switchOne: (session: ServerSession, log: ServerLog) => Promise<SwitchResult>;
  /** revertServer on one server this rollback switched. */
  revertOne: (session: ServerSession, log: ServerLog) => Promise<ServerRollbackResult>;
  log: RunLog;
}

export interface RollbackRolloutResult {
  /** Every server switched, activated and healthy. */
  ok: boolean;
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

function failedSwitch(server: string, error: string, ms: number): SwitchResult {
  return {
    server,
    ok: false,
    switched: false,
    switchedBack: false,
    health: 'skipped',
    markedBad: false,
    error,
    durationMs: ms,
    steps: [{ name: 'connect', ms }],
  };
}

function stopReason(failed: string[], untouched: string[], back: string[]): string {
  const later = untouched.length ? `; not started on ${untouched.join(', ')}` : '';
  const reverted = back.length ? `; switched back to where they were: ${back.join(', ')}` : '';
  return `the rollback failed on ${failed.join(', ')}${later}${reverted}`;
}

export async function rollbackRollout(
  opts: RollbackRolloutOptions,
): Promise<RollbackRolloutResult> {
  const { deploy, log } = opts;
  const byName = new Map(opts.servers.map((server) => [server.name, server]));
  const batches = planBatches(opts.servers, deploy.batch_size).map((b) => b.map((s) => s.name));
  const results: SwitchResult[] = [];
  // No failure is tolerated: a rollback that leaves servers on two releases is worse than none.
  const policy = { maxFailedServers: 0, rollbackOnFailure: true };
  for (let completed = 0; ; completed++) {
    const failed = results.filter((r) => !r.ok).map((r) => r.server);
    const switched = results.filter((r) => r.switched && !r.switchedBack).map((r) => r.server);
    const step = nextRolloutStep({ batches, completed, failed, switched }, policy);
    if (step.kind === 'done') return { ok: true, batches, results, reverts: [], untouched: [] };
    if (step.kind === 'stop') {
      const reason = stopReason(failed, step.untouched, step.rollback);
      log.info(reason);
      const reverts = await switchBackEach(
        step.rollback.map((name) => byName.get(name)!),
        { ...opts, parallel: deploy.parallel },
        (session, _server, serverLog) => opts.revertOne(session, serverLog),
      );
      return { ok: false, reason, batches, results, reverts, untouched: step.untouched };
    }
    log.info(`rollback batch ${step.index + 1} of ${batches.length}: ${step.servers.join(', ')}`);
    results.push(
      ...(await runBatch(
        step.servers.map((name) => byName.get(name)!),
        {
          ...opts,
          parallel: deploy.parallel,
          what: 'rollback',
          one: (session, _server, serverLog) => opts.switchOne(session, serverLog),
          failed: failedSwitch,
        },
      )),
    );
  }
}
