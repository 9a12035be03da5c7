# shellcheck shell=sh disable=SC2154
# Switches a server that this deployment (or rollback, release-switch.sh) already switched back
# to its previous release, and runs activate there. Idempotent: a `current` that no longer points
# at this deployment's release (rolled back already, or deployed over since) is left alone.
# Values: _dr_id, _dr_to (the previous release), _dr_activate ('' for none), _dr_bad (why the
# release left is bad: a deployment's rollout that stopped; '' for a rollback's revert, which
# leaves it as it is), the function _dr_rollback_env.
_dr_enter_path
_dr_cleanup() { _dr_unlock; }
_dr_traps
_dr_step lock
_dr_take_lock
_dr_step rollback
_dr_read_current
if [ "$_dr_prev" != "$_dr_id" ]; then
  _dr_say "untouched ${_dr_prev:-none}"
  exit 0
fi
[ -d "$_dr_p/releases/$_dr_to" ] || _dr_die "the previous release $_dr_to is gone from $_dr_p/releases"
_dr_switch "$_dr_to" || _dr_die "cannot switch $_dr_p/current back to releases/$_dr_to"
_dr_say "rolledback $_dr_to"
if [ -n "$_dr_bad" ] && _dr_mark_bad "$_dr_p/releases/$_dr_id/.deploy-request.json" "$_dr_bad"; then
  _dr_say "marked $_dr_id"
fi
# A rollback (release-switch.sh) that marked the release it left bad kept its entry as it was:
# going back to that release puts the entry back (an empty one: there was none).
_dr_m="$_dr_p/releases/$_dr_to/.deploy-request.json"
if [ -f "$_dr_m.before-$_dr_digest" ]; then
  if [ -n "$(cat "$_dr_m.before-$_dr_digest")" ]; then
    mv -f "$_dr_m.before-$_dr_digest" "$_dr_m" && _dr_say "unmarked $_dr_to"
  else
    rm -f "$_dr_m" "$_dr_m.before-$_dr_digest" && _dr_say "unmarked $_dr_to"
  fi
fi
if [ -n "$_dr_activate" ]; then
  _dr_step activate
  _dr_rollback_run "$_dr_p/releases/$_dr_to" "$_dr_activate" ||
    _dr_die "activate exited with $? on the previous release $_dr_to"
fi
_dr_say 'done'
