// Takes one server of this deployment back to its previous release (the rollout does this for
// servers that succeeded before it stopped). Safe to repeat: see rollback-script.ts.
import { formatMs, type ServerLog } from '../ssh/run-on-servers.js';
import type { ServerSession } from '../ssh/types.js';
import { DEFAULT_LOCK_STALE_MINUTES, rollbackEnv } from './deploy-server.js';
import { isReleaseId } from './release-id.js';
import { rollbackScript } from './rollback-script.js';
import { marker, parseReport, scriptFailure } from './script-report.js';
import type { ServerRollbackInput, ServerRollbackResult } from './types.js';

export async function rollbackServer(
  session: ServerSession,
  input: ServerRollbackInput,
): Promise<ServerRollbackResult> {
  const started = performance.now();
  const log: ServerLog = input.log ?? { info: () => undefined };
  const result: ServerRollbackResult = {
    server: session.server.name,
    ok: false,
    rolledBack: false,
    durationMs: 0,
    steps: [],
  };
  const finish = (error?: string) => {
    result.durationMs = Math.round(performance.now() - started);
    result.ok = error === undefined;
    if (error !== undefined) {
      result.error = error;
      log.info(`rollback error: ${error}`);
    }
    return result;
  };
  const previous = input.previousRelease;
  if (!isReleaseId(input.releaseId) || !previous || /[/\n]|^\.\.?$/.test(previous)) {
    return finish('input: malformed release names');
  }
  const script = rollbackScript({
    deployPath: input.deploy.path,
    digest: input.digest,
    staleMinutes: input.lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES,
    releaseId: input.releaseId,
    previousRelease: previous,
    activate: input.deploy.activate,
    rollbackEnv: rollbackEnv(input.env, input.releaseId),
    badReason: input.badReason,
  });
  const t0 = performance.now();
  let exec;
  try {
    exec = await session.exec(script);
  } catch (error) {
    return finish(`rollback: ${error instanceof Error ? error.message : String(error)}`);
  }
  const report = parseReport(exec, performance.now() - t0);
  result.steps = report.steps;
  result.rolledBack = marker(report, 'rolledback') !== undefined;
  const untouched = marker(report, 'untouched');
  if (untouched)
    log.info(`rollback: current points to ${untouched[0]}, not to this deployment; left alone`);
  if (result.rolledBack) {
    log.info(`rolled back: current -> releases/${previous} in ${formatMs(performance.now() - t0)}`);
  }
  if (marker(report, 'marked')) log.info(`marked bad: releases/${input.releaseId}`);
  if (exec.code !== 0 || (!marker(report, 'done') && !untouched)) {
    return finish(scriptFailure(report, exec, 'rollback'));
  }
  return finish();
}
