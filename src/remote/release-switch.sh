# shellcheck shell=sh disable=SC2154
# A rollback on one server, in one round trip: take the lock (the rollback plan's digest), refuse
# unless `current` still points to the release the plan expected and the target is complete,
# switch `current` to the target, run activate and the health check there. On failure switch
# back to the expected release, activate it again and mark the target bad (exit 1). On success
# mark the abandoned release bad, keeping its entry as it was beside it (.before-<digest>) so
# that a revert of this rollback (deploy-rollback.sh) can put it back. The EXIT trap unlocks.
# Values: _dr_id (the target), _dr_expect, _dr_abandoned (the abandoned release's entry, rendered
# by the runner), the values of _dr_activate_check (activate-lib.sh), the functions _dr_env and
# _dr_rollback_env.
_dr_need_path
_dr_cleanup() { _dr_unlock; }
_dr_traps

_dr_step lock
_dr_take_lock
_dr_step check
_dr_read_current
_dr_say "previous $_dr_prev"
[ "$_dr_prev" = "$_dr_expect" ] ||
  _dr_die "current points to ${_dr_prev:-no release}, not to $_dr_expect as when the rollback was planned (deployed or rolled back since): nothing was switched; ask for a new plan with /rollback"
_dr_r="$_dr_p/releases/$_dr_id"
[ -d "$_dr_r" ] || _dr_die "release $_dr_id is not on this server (pruned since the plan?): nothing was switched"
[ -f "$_dr_r/.deploy-request.json" ] ||
  _dr_die "release $_dr_id is incomplete on this server (it has no .deploy-request.json): nothing was switched"

_dr_step switch
_dr_switch "$_dr_id" || _dr_die "cannot switch $_dr_p/current to releases/$_dr_id"
_dr_say switched
_dr_activate_check "$_dr_r"
if [ -n "$_dr_fail" ]; then
  _dr_switch_back "$_dr_expect"
  # A target that failed here is marked as a deployment that failed would be: no rollback
  # offers it again until someone looks (an older entry without the fields is left as it is).
  case $_dr_fail in health) _dr_why='failed its health check in a rollback' ;; *) _dr_why='activate failed in a rollback' ;; esac
  if _dr_mark_bad "$_dr_r/.deploy-request.json" "$_dr_why"; then _dr_say "marked $_dr_id"; fi
  exit 1
fi

# Marking bad is bookkeeping: a failed write is reported, the rollback itself stands.
_dr_step metadata
_dr_m="$_dr_p/releases/$_dr_expect/.deploy-request.json"
if [ -f "$_dr_m" ]; then _dr_saved=$(cat "$_dr_m"); else _dr_saved=; fi
if _dr_write "$_dr_m.before-$_dr_digest" "$_dr_saved" && _dr_write "$_dr_m" "$_dr_abandoned"; then
  _dr_say "marked $_dr_expect"
else
  _dr_say "failed metadata"
fi
_dr_say 'done'
