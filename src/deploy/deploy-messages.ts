// The sentences a server's deployment reports: what the lock did, and why it failed after the switch.
import type { DeployConfig } from '../config/types.js';
import type { ExecResult } from '../ssh/types.js';
import {
  exitDescription,
  marker,
  markersOf,
  outputTail,
  scriptFailure,
  type ScriptReport,
} from './script-report.js';

/** "lock taken" / "re-entered (a re-run of this deployment)" / "took over a stale lock …". */
export function lockLine(report: ScriptReport): string | undefined {
  const args = marker(report, 'lock');
  if (!args) return undefined;
  if (args[0] === 'taken') return 'lock: taken';
  if (args[0] === 'reentered') return 'lock: re-entered (held by this same deployment: a re-run)';
  if (args[0] === 'stale') {
    return `lock: took over a stale lock of deployment ${args[1]} (${args[2]} min old)`;
  }
  return undefined;
}

function quoteCommand(command: string | undefined): string {
  const text = command ?? '';
  return `\`${text.length > 120 ? `${text.slice(0, 117)}…` : text}\``;
}

/** What happened to `current` after a failure: rolled back, or why it stays on the new release. */
function rollbackClause(
  report: ScriptReport,
  result: ExecResult,
  deploy: DeployConfig,
  releaseId: string,
): string {
  const back = marker(report, 'rolledback');
  if (back) {
    const failed = markersOf(report, 'failed').find((args) => args[0] === 'rollback-activate');
    if (!deploy.activate) return `; rolled back to ${back[0]}`;
    return failed
      ? `; rolled back to ${back[0]}, but activate failed there too (exit ${failed[1]})`
      : `; rolled back to ${back[0]} and activate re-ran there`;
  }
  if (markersOf(report, 'failed').some((args) => args[0] === 'rollback-switch')) {
    return `; switching back to the previous release failed: current stays on ${releaseId}`;
  }
  if (!deploy.rollback_on_failure) {
    return `; rollback_on_failure is off: current stays on ${releaseId}`;
  }
  if (!marker(report, 'previous')?.[0]) {
    return `; no previous release to go back to: current stays on ${releaseId}`;
  }
  return `; the script ${exitDescription(result)} before switching back: current stays on ${releaseId}`;
}

/** Names the failed step of the activate round trip, with the command output's tail. */
export function activateFailure(
  report: ScriptReport,
  result: ExecResult,
  deploy: DeployConfig,
  releaseId: string,
): string {
  if (!marker(report, 'switched')) return scriptFailure(report, result, 'switch');
  const activate = markersOf(report, 'failed').find((args) => args[0] === 'activate');
  const health = marker(report, 'health');
  let message: string;
  if (activate) {
    message = `activate: ${quoteCommand(deploy.activate)} exited with ${activate[1]}`;
  } else if (health?.[0] === 'failed') {
    const check = deploy.health_check;
    message =
      `health: ${quoteCommand(check?.run)} failed ${health[1]} attempt(s), ` +
      `${check?.interval_s ?? 0} s apart (last exit code ${health[2]})`;
  } else {
    // Cut off after "switched" but before the next step marker: the failure is in activation.
    const step = report.lastStep === 'switch' ? 'activate' : report.lastStep;
    return scriptFailure(report, result, 'activate', step);
  }
  const output = outputTail(result.stderr);
  const clause = rollbackClause(report, result, deploy, releaseId);
  return output ? `${message}${clause}\n${output}` : `${message}${clause}`;
}
