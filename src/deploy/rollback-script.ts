// Switches a server back to its previous release and runs activate there
// (src/remote/deploy-rollback.sh); leaves a server alone that this deployment no longer owns.
import rollback from '../remote/deploy-rollback.sh';
import { exportFunction } from '../remote/assemble.js';
import { deployScript } from './remote-shell.js';

export interface RollbackScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  previousRelease: string;
  activate?: string;
  rollbackEnv: Record<string, string>;
  /** Marks the release left bad with this reason; none (a rollback's revert) leaves it. */
  badReason?: string;
}

export function rollbackScript(input: RollbackScriptInput): string {
  return deployScript(
    input,
    {
      _dr_id: input.releaseId,
      _dr_to: input.previousRelease,
      _dr_activate: input.activate ?? '',
      _dr_bad: input.badReason ?? '',
    },
    exportFunction('_dr_rollback_env', input.rollbackEnv),
    rollback,
  );
}
