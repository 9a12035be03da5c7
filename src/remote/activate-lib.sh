# shellcheck shell=sh disable=SC2154
# Functions of the scripts that activate a release (deploy-activate.sh, release-switch.sh), after
# deploy-lib.sh: activate with the health check, and the way back after a failure.

# Runs activate, then the health check (retried inside this one script: no runner-side sleeps),
# in the release directory $1 with _dr_env; sets _dr_fail to activate, health or ''. Reports
# "@@health passed N" or "@@health failed N RC". Values: _dr_activate ('' for none), _dr_health
# (1 when there is a health check) with _dr_health_run, _dr_attempts, _dr_interval ('' for none)
# and _dr_timeout.
_dr_activate_check() {
  _dr_fail=
  if [ -n "$_dr_activate" ]; then
    _dr_step activate
    _dr_run "$1" "$_dr_activate" || { _dr_say "failed activate $?"; _dr_fail=activate; return 0; }
  fi
  [ "$_dr_health" = 1 ] || return 0
  _dr_step health
  _dr_n=0; _dr_rc=0; _dr_hok=0
  while [ "$_dr_n" -lt "$_dr_attempts" ]; do
    _dr_n=$((_dr_n + 1))
    printf 'health check attempt %s of %s\n' "$_dr_n" "$_dr_attempts" >&2
    _dr_run "$1" "$_dr_health_run" "$_dr_timeout" && { _dr_hok=1; break; }
    _dr_rc=$?
    [ -n "$_dr_interval" ] && [ "$_dr_n" -lt "$_dr_attempts" ] && sleep "$_dr_interval"
  done
  if [ "$_dr_hok" = 1 ]; then _dr_say "health passed $_dr_n"; else _dr_say "health failed $_dr_n $_dr_rc"; _dr_fail=health; fi
}

# Switches `current` back to releases/<$1> after a failure and runs activate there with
# _dr_rollback_env; says "@@rolledback <$1>", or which part failed.
_dr_switch_back() {
  _dr_step rollback
  if _dr_switch "$1"; then
    _dr_say "rolledback $1"
    if [ -n "$_dr_activate" ]; then
      _dr_rollback_run "$_dr_p/releases/$1" "$_dr_activate" || _dr_say "failed rollback-activate $?"
    fi
  else
    _dr_say "failed rollback-switch"
  fi
}
