// A rollback on one server in one round trip (src/remote/release-switch.sh): switch `current` to
// a release already there, activate it and check its health; switched back on failure.
import type { DeployConfig } from '../config/types.js';
import type { ServerLog } from '../ssh/run-on-servers.js';
import type { ServerSession } from '../ssh/types.js';
import type { HealthOutcome, ServerRollbackResult, StepTiming } from './types.js';

export interface SwitchInput {
  deploy: DeployConfig;
  /** The rollback plan's digest: owner of the remote lock while the switch runs. */
  digest: string;
  /** The release `current` is switched to (releases/<targetId>). */
  targetId: string;
  /** The release `current` must point to now (the plan's); anything else is refused unswitched. */
  expectedCurrent: string;
  /** The JSON line written into releases/<expectedCurrent>/.deploy-request.json on success. */
  abandonedMeta: string;
  /** Exported for activate and the health check (RELEASE_DIR is set by the script). */
  env: Record<string, string>;
  lockStaleMinutes?: number;
  log?: ServerLog;
}

export interface SwitchResult {
  server: string;
  ok: boolean;
  /** `current` was switched to the target (true also when that cannot be ruled out). */
  switched: boolean;
  /** The server went back to expectedCurrent itself after a failure. */
  switchedBack: boolean;
  health: HealthOutcome;
  /** The abandoned release's entry now says bad (false: the write failed, or nothing switched). */
  markedBad: boolean;
  error?: string;
  durationMs: number;
  steps: StepTiming[];
}

export async function switchServer(
  session: ServerSession,
  input: SwitchInput,
): Promise<SwitchResult> {
  void input;
  return {
    server: session.server.name,
    ok: false,
    switched: false,
    switchedBack: false,
    health: 'skipped',
    markedBad: false,
    error: 'not yet',
    durationMs: 0,
    steps: [],
  };
}

/** What revertServer takes: the same as the switch it undoes. */
export type RevertInput = Pick<
  SwitchInput,
  'deploy' | 'digest' | 'targetId' | 'expectedCurrent' | 'env' | 'lockStaleMinutes' | 'log'
>;

/**
 * Undoes switchServer on a server: `current` back to expectedCurrent (only if it still points
 * to targetId; else left alone), activate there, and that release's entry as it was before it
 * was marked bad. Safe to repeat.
 */
export async function revertServer(
  session: ServerSession,
  input: RevertInput,
): Promise<ServerRollbackResult> {
  void input;
  return {
    server: session.server.name,
    ok: false,
    rolledBack: false,
    durationMs: 0,
    error: 'not yet',
    steps: [],
  };
}
