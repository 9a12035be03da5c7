// A rollback on one server in one round trip (src/remote/release-switch.sh): switch `current` to
// a release already there, activate it and check its health; switched back on failure, and on
// success the release it left is marked bad. revertServer undoes it (deploy-rollback.sh).
import type { DeployConfig } from '../config/types.js';
import { exportFunction } from '../remote/assemble.js';
import activateLib from '../remote/activate-lib.sh';
import releaseSwitch from '../remote/release-switch.sh';
import { formatMs, type ServerLog } from '../ssh/run-on-servers.js';
import { isVariableName } from '../ssh/shell-quote.js';
import type { ExecResult, ServerSession } from '../ssh/types.js';
import { activateValues } from './activate-script.js';
import { DEFAULT_LOCK_STALE_MINUTES, rollbackEnv } from './deploy-server.js';
import { lockLine } from './deploy-messages.js';
import { deployScript } from './remote-shell.js';
import { rollbackServer } from './rollback-server.js';
import { marker, markersOf, parseReport, scriptFailure } from './script-report.js';
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

/** A directory name under releases/ that cannot leave it or break a marker line. */
function releaseName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\s]/.test(name);
}

function inputProblem(input: SwitchInput): string | undefined {
  if (!releaseName(input.targetId))
    return `release id ${JSON.stringify(input.targetId)} is malformed`;
  if (input.expectedCurrent === '') return 'the plan names no expected release for this server';
  if (!releaseName(input.expectedCurrent)) {
    return `expected release ${JSON.stringify(input.expectedCurrent)} is malformed`;
  }
  if (input.targetId === input.expectedCurrent) {
    return `current already points to ${input.targetId}: there is nothing to switch`;
  }
  if (!/^[0-9a-f]{12,128}$/.test(input.digest)) return 'the digest must be lowercase hex';
  if (input.abandonedMeta.includes('\n')) return 'the abandoned entry must be one line';
  const badName = Object.keys(input.env).find((name) => !isVariableName(name));
  if (badName !== undefined) return `variable name ${JSON.stringify(badName)} is not allowed`;
  return undefined;
}

export function switchScript(input: SwitchInput): string {
  const { deploy } = input;
  return deployScript(
    {
      deployPath: deploy.path,
      digest: input.digest,
      staleMinutes: input.lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES,
    },
    {
      _dr_id: input.targetId,
      _dr_expect: input.expectedCurrent,
      _dr_abandoned: input.abandonedMeta,
      ...activateValues(deploy.activate, deploy.health_check),
    },
    exportFunction('_dr_env', input.env),
    exportFunction('_dr_rollback_env', rollbackEnv(input.env, input.targetId)),
    activateLib,
    releaseSwitch,
  );
}

/** Why the switch failed: the refusal, or the step that failed and whether it went back. */
function failure(input: SwitchInput, report: ReturnType<typeof parseReport>, r: ExecResult) {
  const health = marker(report, 'health');
  const activate = markersOf(report, 'failed').find((args) => args[0] === 'activate');
  const back = marker(report, 'rolledback');
  const failedBack = markersOf(report, 'failed').find((args) => args[0]?.startsWith('rollback-'));
  let what: string;
  if (activate) what = `activate exited with ${activate[1]} in ${input.targetId}`;
  else if (health?.[0] === 'failed') {
    what = `the health check failed ${health[1]} attempt(s) on ${input.targetId} (last exit code ${health[2]})`;
  } else return scriptFailure(report, r, 'rollback');
  if (failedBack?.[0] === 'rollback-switch') {
    return `${what}; switching back failed: current stays on ${input.targetId}`;
  }
  if (back && failedBack) {
    return `${what}; switched back to ${back[0]}, but activate failed there too (exit ${failedBack[1]})`;
  }
  return back ? `${what}; switched back to ${back[0]}` : what;
}

export async function switchServer(
  session: ServerSession,
  input: SwitchInput,
): Promise<SwitchResult> {
  const started = performance.now();
  const log: ServerLog = input.log ?? { info: () => undefined };
  const result: SwitchResult = {
    server: session.server.name,
    ok: false,
    switched: false,
    switchedBack: false,
    health: 'skipped',
    markedBad: false,
    durationMs: 0,
    steps: [],
  };
  const finish = (error?: string): SwitchResult => {
    result.durationMs = Math.round(performance.now() - started);
    result.ok = error === undefined;
    if (error !== undefined) {
      result.error = error;
      log.info(`error: ${error}`);
    }
    return result;
  };
  const problem = inputProblem(input);
  if (problem) return finish(`input: ${problem}`);
  const t0 = performance.now();
  let r: ExecResult;
  try {
    r = await session.exec(switchScript(input));
  } catch (error) {
    result.switched = true; // cannot be ruled out: a revert must look at this server
    const why = error instanceof Error ? error.message : String(error);
    return finish(`rollback: ${why}; current may already point to releases/${input.targetId}`);
  }
  const report = parseReport(r, performance.now() - t0);
  result.steps = report.steps;
  const lock = lockLine(report);
  if (lock) log.info(lock);
  // A script cut off (no exit status, or timed out) may have switched before saying so.
  const cutOff = r.code === null || r.timedOut;
  result.switched = marker(report, 'switched') !== undefined || cutOff;
  result.switchedBack = marker(report, 'rolledback') !== undefined;
  const health = marker(report, 'health')?.[0];
  result.health = health === 'passed' || health === 'failed' ? health : 'skipped';
  if (marker(report, 'switched')) {
    log.info(`switched: current -> releases/${input.targetId} (was ${input.expectedCurrent})`);
  }
  if (health) log.info(`health: ${health} after ${marker(report, 'health')?.[1]} attempt(s)`);
  if (marker(report, 'marked')?.[0] === input.targetId) {
    log.info(`marked bad: releases/${input.targetId} (it failed here)`);
  }
  if (r.code !== 0 || !marker(report, 'done')) {
    const suffix =
      cutOff && !marker(report, 'switched')
        ? `; current may already point to releases/${input.targetId}`
        : '';
    return finish(failure(input, report, r) + suffix);
  }
  result.markedBad = marker(report, 'marked') !== undefined;
  log.info(
    result.markedBad
      ? `marked bad: releases/${input.expectedCurrent}`
      : `could not mark releases/${input.expectedCurrent} bad (its .deploy-request.json is not writable)`,
  );
  log.info(`done in ${formatMs(performance.now() - started)}`);
  return finish();
}

/** What revertServer takes: the same as the switch it undoes. */
export type RevertInput = Pick<
  SwitchInput,
  'deploy' | 'digest' | 'targetId' | 'expectedCurrent' | 'env' | 'lockStaleMinutes' | 'log'
>;

/**
 * Undoes switchServer on a server: `current` back to expectedCurrent (only if it still points
 * to targetId; else left alone), that release's entry as it was before it was marked bad, and
 * activate there. Safe to repeat. The same script as a deployment's rollback of one server.
 */
export function revertServer(
  session: ServerSession,
  input: RevertInput,
): Promise<ServerRollbackResult> {
  return rollbackServer(session, {
    deploy: input.deploy,
    digest: input.digest,
    releaseId: input.targetId,
    previousRelease: input.expectedCurrent,
    env: input.env,
    lockStaleMinutes: input.lockStaleMinutes,
    log: input.log,
  });
}
