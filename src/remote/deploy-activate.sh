# shellcheck shell=sh disable=SC2154
# Round trip 2 on a server: switch `current`, run activate and the health check, finish the
# release's ledger entry, roll back on failure, prune old releases, unlock.
# Values: _dr_id, the activate and health values of _dr_activate_check (activate-lib.sh),
# _dr_rollback (1 to roll back on failure), _dr_keep, _dr_meta_ok and _dr_meta_failed (the
# entry's two endings, rendered by the runner up to finished_at), and the functions _dr_env and
# _dr_rollback_env.
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

_dr_activate_check "$_dr_r"

# The ledger entry ends with the result and the server's clock (one of the two endings the
# runner rendered); a failed release is marked bad, so that no rollback offers it.
_dr_m="$_dr_r/.deploy-request.json"
if [ -n "$_dr_fail" ]; then
  case $_dr_fail in health) _dr_why='failed its health check' ;; *) _dr_why='activate failed' ;; esac
  _dr_finish_entry "$_dr_m" "$_dr_meta_failed\"bad_reason\":\"$_dr_why\"," || _dr_say "failed metadata"
  if [ "$_dr_rollback" = 1 ] && [ -n "$_dr_prev" ]; then _dr_switch_back "$_dr_prev"; fi
  exit 1
fi
_dr_finish_entry "$_dr_m" "$_dr_meta_ok" || _dr_say "failed metadata"

# Keeps the newest _dr_keep releases by name, and always current and the rollback target. The
# glob lists releases/ in byte order (dash, BusyBox and bash with LC_ALL=C sort it so; release
# ids are digits, T, Z and hex): no ls | sort to fork. Names outside the pattern are not ours.
_dr_step prune
set -- "$_dr_p"/releases/[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*
_dr_total=0
for _dr_rel do [ ! -d "$_dr_rel" ] || _dr_total=$((_dr_total + 1)); done
_dr_n=0
for _dr_rel do
  [ -d "$_dr_rel" ] || continue
  _dr_n=$((_dr_n + 1))
  # The oldest (_dr_total - _dr_keep) go, oldest first.
  [ "$_dr_n" -le $((_dr_total - _dr_keep)) ] || break
  _dr_rel=${_dr_rel##*/}
  [ "$_dr_rel" = "$_dr_id" ] || [ "$_dr_rel" = "$_dr_prev" ] && continue
  rm -rf "$_dr_p/releases/$_dr_rel" && _dr_say "pruned $_dr_rel"
done
_dr_say 'done'
