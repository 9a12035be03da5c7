// The preset conditions of one server: every check in ONE exec (one SSH channel).
import type { ChecksConfig } from '../config/types.js';
import type { ServerSession } from '../ssh/types.js';
import { NO_ANSWER, parseCheckOutput } from './check-output.js';
import { buildCheckScript, CHECK_TIMEOUT_S } from './check-script.js';
import {
  PULL_CHECK_SECONDS,
  pullCheckResults,
  pullCheckScript,
  type PullCheck,
} from './pull-checks.js';
import type { CheckResult } from './types.js';

export { buildCheckScript } from './check-script.js';
export { parseCheckOutput } from './check-output.js';

export async function runChecks(
  session: ServerSession,
  checks: ChecksConfig,
  pull?: PullCheck,
): Promise<CheckResult[]> {
  // Each probe is bounded on the server; this bounds the whole script when `timeout` is missing.
  const probes = 3 + (checks.commands ?? []).length;
  const extra = pull ? pullCheckScript(pull) : '';
  const result = await session.exec(buildCheckScript(checks) + extra, {
    timeoutMs: (probes * CHECK_TIMEOUT_S + 30 + (pull ? PULL_CHECK_SECONDS : 0)) * 1000,
  });
  const results = parseCheckOutput(result.stdout, checks);
  if (pull) results.push(...pullCheckResults(result.stdout, pull));
  if (result.code === 0 && !result.timedOut) return results;
  const why = result.timedOut
    ? 'the check script timed out'
    : `the check script stopped (exit ${result.code ?? result.signal}): ${result.stderr.trim().slice(-300)}`;
  return results.map((r) =>
    r.actual === NO_ANSWER ? { ...r, actual: `${NO_ANSWER}: ${why}` } : r,
  );
}
