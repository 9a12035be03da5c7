// The rollout's decisions as pure functions: how servers form batches, and what happens after
// each batch (next batch, stop with or without rollback, or done).

export interface RolloutPolicy {
  maxFailedServers: number;
  rollbackOnFailure: boolean;
}

export interface RolloutState {
  /** Server names per batch, in rollout order. */
  batches: string[][];
  /** Batches finished so far (they ran in order). */
  completed: number;
  /** Servers failed so far, all batches together. */
  failed: string[];
  /** Servers whose `current` is (or may be) on the new release and was not switched back. */
  switched: string[];
}

export type RolloutStep =
  | { kind: 'batch'; index: number; servers: string[] }
  | { kind: 'stop'; reason: string; rollback: string[]; untouched: string[] }
  | { kind: 'done' };

/** Consecutive batches of batchSize servers (the last one may be smaller). */
export function planBatches<T>(servers: T[], batchSize: number): T[][] {
  const size = Math.max(1, Math.floor(batchSize) || 1);
  const batches: T[][] = [];
  for (let i = 0; i < servers.length; i += size) batches.push(servers.slice(i, i + size));
  return batches;
}

export function nextRolloutStep(state: RolloutState, policy: RolloutPolicy): RolloutStep {
  const { batches, completed, failed, switched } = state;
  if (failed.length > policy.maxFailedServers) {
    const untouched = batches.slice(completed).flat();
    const rollback = policy.rollbackOnFailure ? [...switched] : [];
    const later = untouched.length
      ? `; ${untouched.length} server(s) of later batches were not touched`
      : '';
    const back = policy.rollbackOnFailure
      ? switched.length
        ? `; ${switched.length} switched server(s) go back to their previous release`
        : ''
      : '; rollback_on_failure is off: switched servers stay on the new release';
    return {
      kind: 'stop',
      reason:
        `${failed.length} server(s) failed (${failed.join(', ')}), more than ` +
        `max_failed_servers ${policy.maxFailedServers}: the rollout stopped${later}${back}`,
      rollback,
      untouched,
    };
  }
  if (completed < batches.length) {
    return { kind: 'batch', index: completed, servers: batches[completed] ?? [] };
  }
  return { kind: 'done' };
}
