// The check part of the environment script: every preset condition of a server, one line per
// fact:  @@check <kind> [index] <values…>  (command output base64-encoded).
import type { ChecksConfig } from '../config/types.js';
import { numbered, type ShellValues } from '../remote/assemble.js';
import { CHECK_MARK, environmentScript, NO_PROVISION } from './environment-script.js';
import { remotePath } from './remote-path.js';

export { CHECK_MARK };
/** Each probe gets this long on the server (when `timeout` exists there). */
export const CHECK_TIMEOUT_S = 20;

export function checkValues(checks: ChecksConfig): ShellValues {
  return {
    _dr_checks: 1,
    _dr_check_s: CHECK_TIMEOUT_S,
    _dr_disk: checks.disk_free ? remotePath(checks.disk_free.path) : '',
    _dr_memory: checks.memory_available_mb !== undefined ? 1 : '',
    ...numbered('_dr_bin', checks.binaries ?? []),
    _dr_ports: (checks.ports_free ?? []).length > 0 ? 1 : '',
    ...numbered(
      '_dr_cmd',
      (checks.commands ?? []).map((command) => command.run),
    ),
  };
}

/** The checks alone (no provisioning). */
export function buildCheckScript(checks: ChecksConfig): string {
  return environmentScript(NO_PROVISION, checkValues(checks));
}

/** How long the checks may take in all: each probe is bounded on the server when `timeout` is there. */
export function checksTimeoutMs(checks: ChecksConfig): number {
  const probes = 3 + (checks.commands ?? []).length;
  return (probes * CHECK_TIMEOUT_S + 30) * 1000;
}
