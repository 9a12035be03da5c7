// The deployment scripts' shared parts: the values every one of them carries, and the .sh
// library (lock, current, switch, the user-command runner) they run on.
import { remotePath } from '../environment/remote-path.js';
import { assemble, type ShellValues } from '../remote/assemble.js';
import deployLib from '../remote/deploy-lib.sh';

export interface DeployScriptBase {
  deployPath: string;
  digest: string;
  staleMinutes: number;
}

/** A deployment script: its values (the common ones first), the library, then `parts`. */
export function deployScript(base: DeployScriptBase, values: ShellValues, ...parts: string[]) {
  return assemble(
    {
      _dr_p: remotePath(base.deployPath),
      _dr_digest: base.digest,
      _dr_stale: base.staleMinutes,
      ...values,
    },
    deployLib,
    ...parts,
  );
}
