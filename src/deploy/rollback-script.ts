// Switches a server that this deployment already switched back to its previous release, and
// runs activate there. Idempotent: a `current` that no longer points at this deployment's
// release (rolled back already, or deployed over since) is left alone.
import { shellQuote } from '../ssh/shell-quote.js';
import {
  assignments,
  LOCK_FUNCTIONS,
  prelude,
  READ_CURRENT,
  runnerFunction,
  SWITCH_FUNCTION,
  traps,
} from './remote-shell.js';

export interface RollbackScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  previousRelease: string;
  activate?: string;
  rollbackEnv: Record<string, string>;
}

export function rollbackScript(input: RollbackScriptInput): string {
  const reactivate = input.activate
    ? `_dr_step activate
_dr_rollback_run "$_dr_p/releases/$_dr_to" ${shellQuote(input.activate)} ||
  _dr_die "activate exited with $? on the previous release $_dr_to"
`
    : '';
  return `${prelude(input.deployPath, input.digest, input.staleMinutes)}${assignments({
    _dr_id: input.releaseId,
    _dr_to: input.previousRelease,
  })}${LOCK_FUNCTIONS}${SWITCH_FUNCTION}${runnerFunction('_dr_rollback_run', input.rollbackEnv)}${traps(
    '_dr_unlock',
  )}_dr_step lock
_dr_take_lock
_dr_step rollback
${READ_CURRENT}if [ "$_dr_prev" != "$_dr_id" ]; then
  _dr_say "untouched \${_dr_prev:-none}"
  exit 0
fi
[ -d "$_dr_p/releases/$_dr_to" ] || _dr_die "the previous release $_dr_to is gone from $_dr_p/releases"
_dr_switch "$_dr_to" || _dr_die "cannot switch $_dr_p/current back to releases/$_dr_to"
_dr_say "rolledback $_dr_to"
${reactivate}_dr_say 'done'
`;
}
