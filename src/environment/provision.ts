// Configures a server's deployment environment (directories, files, commands) in ONE exec.
import type { ProvisionConfig } from '../config/types.js';
import type { ExecResult, ServerSession } from '../ssh/types.js';
import { buildProvisionScript, parseProvisionOutput } from './provision-script.js';
import type { ProvisionItemResult } from './types.js';

/** What an item without an answer says: the script stopped or timed out before it. */
export function provisionMissing(result: ExecResult): string {
  return result.timedOut
    ? 'not reached: provisioning timed out'
    : `not reached: the provisioning script stopped (exit ${result.code ?? result.signal}): ${result.stderr.trim().slice(-500)}`;
}

export async function provisionServer(
  session: ServerSession,
  provision: ProvisionConfig,
): Promise<ProvisionItemResult[]> {
  const { script, items } = buildProvisionScript(provision);
  if (items.length === 0) return [];
  if (items.every((item) => item.refused)) return parseProvisionOutput('', items, '');
  // exec sends the script on stdin: no command-line length limit, file contents never touch argv.
  const result = await session.exec(script);
  return parseProvisionOutput(result.stdout, items, provisionMissing(result));
}
