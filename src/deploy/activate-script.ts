// Round trip 2 on a server: switch `current`, run activate, run the health check (retried inside
// this one script: no runner-side sleeps), roll back on failure, prune old releases, unlock.
import type { HealthCheck } from '../config/types.js';
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

export interface ActivateScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  activate?: string;
  healthCheck?: HealthCheck;
  rollbackOnFailure: boolean;
  keepReleases: number;
  env: Record<string, string>;
  /** Exported when activate runs again on the previous release. */
  rollbackEnv: Record<string, string>;
}

/** Seconds for one attempt, as a plain number the shell can pass to timeout(1). */
function timeoutArg(check: HealthCheck): string {
  const seconds = Number.isFinite(check.timeout_s) && check.timeout_s > 0 ? check.timeout_s : 30;
  return String(Math.ceil(seconds));
}

/** Reports "@@health passed N" or "@@health failed N RC"; sets _dr_fail on failure. */
function healthLoop(check: HealthCheck): string {
  const attempts = Math.max(1, Math.floor(check.retries));
  const interval = Math.max(0, check.interval_s);
  return `_dr_step health
_dr_n=0; _dr_rc=0; _dr_hok=0
while [ "$_dr_n" -lt ${attempts} ]; do
  _dr_n=$((_dr_n + 1))
  printf 'health check attempt %s of ${attempts}\\n' "$_dr_n" >&2
  _dr_run "$_dr_r" ${shellQuote(check.run)} ${timeoutArg(check)} && { _dr_hok=1; break; }
  _dr_rc=$?
  ${interval > 0 ? `[ "$_dr_n" -lt ${attempts} ] && sleep ${interval}` : ':'}
done
if [ "$_dr_hok" = 1 ]; then _dr_say "health passed $_dr_n"; else _dr_say "health failed $_dr_n $_dr_rc"; _dr_fail=health; fi
`;
}

/** Keeps the newest keep_releases by name, and always current and the rollback target. */
function prune(keep: number): string {
  return `_dr_step prune
_dr_kept=0
set -f
for _dr_rel in $(ls -1 "$_dr_p/releases" | LC_ALL=C sort -r); do
  case $_dr_rel in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*) ;; *) continue ;; esac
  _dr_kept=$((_dr_kept + 1))
  [ "$_dr_kept" -le ${keep} ] && continue
  [ "$_dr_rel" = "$_dr_id" ] || [ "$_dr_rel" = "$_dr_prev" ] && continue
  rm -rf "$_dr_p/releases/$_dr_rel" && _dr_say "pruned $_dr_rel"
done
set +f
`;
}

export function activateScript(input: ActivateScriptInput): string {
  const activate = input.activate
    ? `_dr_step activate
_dr_run "$_dr_r" ${shellQuote(input.activate)} || { _dr_say "failed activate $?"; _dr_fail=activate; }
`
    : '';
  const health = input.healthCheck
    ? `if [ -z "$_dr_fail" ]; then
${healthLoop(input.healthCheck)}fi
`
    : '';
  const reactivate = input.activate
    ? `_dr_rollback_run "$_dr_p/releases/$_dr_prev" ${shellQuote(input.activate)} ||
      _dr_say "failed rollback-activate $?"
`
    : '';
  const rollback = input.rollbackOnFailure
    ? `  if [ -n "$_dr_prev" ]; then
    _dr_step rollback
    if _dr_switch "$_dr_prev"; then
      _dr_say "rolledback $_dr_prev"
      ${reactivate}    else
      _dr_say "failed rollback-switch"
    fi
  fi
`
    : '';
  return `${prelude(input.deployPath, input.digest, input.staleMinutes)}${assignments({
    _dr_id: input.releaseId,
  })}_dr_r="$_dr_p/releases/$_dr_id"
_dr_fail=
${LOCK_FUNCTIONS}${SWITCH_FUNCTION}${runnerFunction('_dr_run', input.env)}${runnerFunction(
    '_dr_rollback_run',
    input.rollbackEnv,
  )}_dr_locked=1
${traps('_dr_unlock')}_dr_step switch
read -r _dr_owner _dr_rest < "$_dr_lock" 2>/dev/null
[ "$_dr_owner" = "$_dr_digest" ] || { _dr_locked=0; _dr_die "the lock was taken over by \${_dr_owner:-nobody} while the release was prepared"; }
${READ_CURRENT}_dr_say "previous $_dr_prev"
[ -d "$_dr_r" ] || _dr_die "release $_dr_id is missing on this server"
_dr_switch "$_dr_id" || _dr_die "cannot switch $_dr_p/current to releases/$_dr_id"
_dr_say switched
${activate}${health}if [ -n "$_dr_fail" ]; then
${rollback}  exit 1
fi
${prune(Math.max(1, Math.floor(input.keepReleases)))}_dr_say 'done'
`;
}
