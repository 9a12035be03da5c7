# shellcheck shell=sh disable=SC2154
# Round trip 2 on a server: switch `current`, run activate, run the health check (retried inside
# this one script: no runner-side sleeps), roll back on failure, prune old releases, unlock.
# Values: _dr_id, _dr_activate ('' for none), _dr_health (1 when there is a health check) with
# _dr_health_run, _dr_attempts, _dr_interval ('' for none) and _dr_timeout, _dr_rollback (1 to
# roll back on failure), _dr_keep, and the functions _dr_env and _dr_rollback_env.
_dr_enter_path
_dr_r="$_dr_p/releases/$_dr_id"
_dr_fail=
# Round trip 1 left the lock taken.
_dr_locked=1
_dr_cleanup() { _dr_unlock; }
_dr_traps

_dr_step switch
read -r _dr_owner _dr_rest < "$_dr_lock" 2>/dev/null
[ "$_dr_owner" = "$_dr_digest" ] || { _dr_locked=0; _dr_die "the lock was taken over by ${_dr_owner:-nobody} while the release was prepared"; }
_dr_read_current
_dr_say "previous $_dr_prev"
[ -d "$_dr_r" ] || _dr_die "release $_dr_id is missing on this server"
_dr_switch "$_dr_id" || _dr_die "cannot switch $_dr_p/current to releases/$_dr_id"
_dr_say switched

if [ -n "$_dr_activate" ]; then
  _dr_step activate
  _dr_run "$_dr_r" "$_dr_activate" || { _dr_say "failed activate $?"; _dr_fail=activate; }
fi

# Reports "@@health passed N" or "@@health failed N RC".
if [ -z "$_dr_fail" ] && [ "$_dr_health" = 1 ]; then
  _dr_step health
  _dr_n=0; _dr_rc=0; _dr_hok=0
  while [ "$_dr_n" -lt "$_dr_attempts" ]; do
    _dr_n=$((_dr_n + 1))
    printf 'health check attempt %s of %s\n' "$_dr_n" "$_dr_attempts" >&2
    _dr_run "$_dr_r" "$_dr_health_run" "$_dr_timeout" && { _dr_hok=1; break; }
    _dr_rc=$?
    [ -n "$_dr_interval" ] && [ "$_dr_n" -lt "$_dr_attempts" ] && sleep "$_dr_interval"
  done
  if [ "$_dr_hok" = 1 ]; then _dr_say "health passed $_dr_n"; else _dr_say "health failed $_dr_n $_dr_rc"; _dr_fail=health; fi
fi

if [ -n "$_dr_fail" ]; then
  if [ "$_dr_rollback" = 1 ] && [ -n "$_dr_prev" ]; then
    _dr_step rollback
    if _dr_switch "$_dr_prev"; then
      _dr_say "rolledback $_dr_prev"
      if [ -n "$_dr_activate" ]; then
        _dr_rollback_run "$_dr_p/releases/$_dr_prev" "$_dr_activate" ||
          _dr_say "failed rollback-activate $?"
      fi
    else
      _dr_say "failed rollback-switch"
    fi
  fi
  exit 1
fi

# Keeps the newest _dr_keep releases by name, and always current and the rollback target.
_dr_step prune
_dr_kept=0
set -f
# shellcheck disable=SC2012 # release names are checked by the pattern below
for _dr_rel in $(ls -1 "$_dr_p/releases" | LC_ALL=C sort -r); do
  case $_dr_rel in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*) ;; *) continue ;; esac
  _dr_kept=$((_dr_kept + 1))
  [ "$_dr_kept" -le "$_dr_keep" ] && continue
  [ "$_dr_rel" = "$_dr_id" ] || [ "$_dr_rel" = "$_dr_prev" ] && continue
  rm -rf "$_dr_p/releases/$_dr_rel" && _dr_say "pruned $_dr_rel"
done
set +f
_dr_say 'done'
