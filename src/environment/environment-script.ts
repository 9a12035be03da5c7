// ONE script for a server's environment step (src/remote/environment.sh): provisioning, then
// the preset-condition checks, in one exec. Its values come from provision-script.ts and
// check-script.ts; either part may be left out (provisionServer and runChecks run one alone).
import { assemble, type ShellValues } from '../remote/assemble.js';
import { markerPrefix } from '../remote/markers.js';
import environment from '../remote/environment.sh';

export const PROVISION_MARK = markerPrefix('provision');
export const CHECK_MARK = markerPrefix('check');
/** Continues the previous provisioning line's detail. */
export const DETAIL_MARK = markerPrefix('+');

/** The values that leave a part out (every name the script reads is assigned). */
export const NO_PROVISION: ShellValues = { _dr_items: 0 };
export const NO_CHECKS: ShellValues = {
  _dr_checks: '',
  _dr_check_s: '',
  _dr_disk: '',
  _dr_memory: '',
  _dr_bins: 0,
  _dr_ports: '',
  _dr_cmds: 0,
};

export function environmentScript(provision: ShellValues, checks: ShellValues): string {
  return assemble({ ...provision, ...checks }, environment);
}
