// The preset conditions of one server: every check in ONE exec (one SSH channel).
import type { ChecksConfig } from '../config/types.js';
import type { ExecResult, ServerSession } from '../ssh/types.js';
import { NO_ANSWER, parseCheckOutput } from './check-output.js';
import { buildCheckScript, checksTimeoutMs } from './check-script.js';
import type { CheckResult } from './types.js';

export { buildCheckScript } from './check-script.js';
export { parseCheckOutput } from './check-output.js';

/** The checks a script answered; the ones it did not answer say why (stopped, timed out). */
export function checkResults(result: ExecResult, checks: ChecksConfig): CheckResult[] {
  const results = parseCheckOutput(result.stdout, checks);
  if (result.code === 0 && !result.timedOut) return results;
  const why = result.timedOut
    ? 'the check script timed out'
    : `the check script stopped (exit ${result.code ?? result.signal}): ${result.stderr.trim().slice(-300)}`;
  return results.map((r) =>
    r.actual === NO_ANSWER ? { ...r, actual: `${NO_ANSWER}: ${why}` } : r,
  );
}

export async function runChecks(
  session: ServerSession,
  checks: ChecksConfig,
): Promise<CheckResult[]> {
  // Each probe is bounded on the server; this bounds the whole script when `timeout` is missing.
  const result = await session.exec(buildCheckScript(checks), {
    timeoutMs: checksTimeoutMs(checks),
  });
  return checkResults(result, checks);
}
