// Round trip 2 on a server (src/remote/deploy-activate.sh): switch `current`, activate, health
// check, finish the ledger entry, roll back on failure, prune old releases, unlock.
import type { HealthCheck } from '../config/types.js';
import activateLib from '../remote/activate-lib.sh';
import activate from '../remote/deploy-activate.sh';
import { exportFunction, type ShellValues } from '../remote/assemble.js';
import { deployScript } from './remote-shell.js';

export interface ActivateScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  activate?: string;
  healthCheck?: HealthCheck;
  rollbackOnFailure: boolean;
  keepReleases: number;
  env: Record<string, string>;
  /** Exported when activate runs again on the previous release. */
  rollbackEnv: Record<string, string>;
  /** The ledger entry's two endings up to finished_at (src/ledger/ledger-entry.ts finishedHeads). */
  entry: { deployed: string; failed: string };
}

/** Seconds for one attempt, as a plain number the shell can pass to timeout(1). */
function timeoutArg(check: HealthCheck): string {
  const seconds = Number.isFinite(check.timeout_s) && check.timeout_s > 0 ? check.timeout_s : 30;
  return String(Math.ceil(seconds));
}

/** The values of _dr_activate_check (deploy-lib.sh): the activate command and the health check. */
export function activateValues(
  activate: string | undefined,
  check: HealthCheck | undefined,
): ShellValues {
  return { _dr_activate: activate ?? '', ...healthValues(check) };
}

function healthValues(check: HealthCheck | undefined): ShellValues {
  if (!check) {
    return {
      _dr_health: '',
      _dr_health_run: '',
      _dr_attempts: 0,
      _dr_interval: '',
      _dr_timeout: '',
    };
  }
  const interval = Math.max(0, check.interval_s);
  return {
    _dr_health: 1,
    _dr_health_run: check.run,
    _dr_attempts: Math.max(1, Math.floor(check.retries)),
    _dr_interval: interval > 0 ? String(interval) : '',
    _dr_timeout: timeoutArg(check),
  };
}

export function activateScript(input: ActivateScriptInput): string {
  return deployScript(
    input,
    {
      _dr_id: input.releaseId,
      ...activateValues(input.activate, input.healthCheck),
      _dr_rollback: input.rollbackOnFailure ? 1 : '',
      _dr_keep: Math.max(1, Math.floor(input.keepReleases)),
      _dr_meta_ok: input.entry.deployed,
      _dr_meta_failed: input.entry.failed,
    },
    exportFunction('_dr_env', input.env),
    exportFunction('_dr_rollback_env', input.rollbackEnv),
    activateLib,
    activate,
  );
}
