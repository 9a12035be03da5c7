# shellcheck shell=sh disable=SC2034,SC2154
# Functions of the deployment scripts. Values set before: _dr_p (the deploy path), _dr_digest
# (this deployment's), _dr_stale (minutes after which another deployment's lock may be taken).
# SIGPIPE is ignored so that a vanished runner cannot kill a script before its EXIT trap has
# cleaned up and released the lock.
trap '' PIPE

# The deploy path made absolute: cd there, take $PWD, come back to the login home (where relative
# paths start). A $(cd … && pwd) forks a subshell each time; forks are what these scripts cost.
_dr_resolve_path() {
  cd "$_dr_p" 2>/dev/null || return 1
  _dr_p=$PWD
  cd || exit 97
  _dr_lock="$_dr_p/.deploy-request.lock"
  _dr_locked=0
}

# Resolves the deploy path, creating it (prepare, activate, rollback).
_dr_enter_path() {
  { [ -d "$_dr_p" ] || mkdir -p "$_dr_p"; } && _dr_resolve_path ||
    _dr_die "cannot create or enter the deploy path $_dr_p"
}

# Resolves the deploy path without creating it; none means nothing to do (the lock release).
_dr_open_path() { _dr_resolve_path || exit 0; }

# Resolves the deploy path, which must exist (a rollback: without it there is nothing to go to).
_dr_need_path() {
  _dr_resolve_path || _dr_die "the deploy path $_dr_p does not exist on this server"
}

# EXIT/HUP/INT/TERM traps; the EXIT handler runs _dr_cleanup (each script defines it).
_dr_traps() {
  trap '_dr_cleanup' EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# The remote lock: a file created with noclobber (atomic O_EXCL), holding "<digest> <epoch>".
# The same digest re-enters (a re-run of this deployment); another digest is refused unless its
# lock is older than _dr_stale minutes, which is taken over and reported.
_dr_take_lock() {
  _dr_try=0
  while :; do
    _dr_now=$(date +%s)
    # noclobber makes the create atomic (O_EXCL); set and unset around it, not in a subshell.
    set -C
    printf '%s %s\n' "$_dr_digest" "$_dr_now" 2>/dev/null > "$_dr_lock"
    _dr_rc=$?
    set +C
    if [ "$_dr_rc" = 0 ]; then
      _dr_locked=1; _dr_say lock taken; return 0
    fi
    if [ ! -e "$_dr_lock" ]; then
      _dr_try=$((_dr_try + 1))
      [ "$_dr_try" -lt 3 ] && continue
      _dr_die "cannot create the lock file $_dr_lock"
    fi
    _dr_owner=; _dr_since=
    read -r _dr_owner _dr_since _dr_rest < "$_dr_lock" 2>/dev/null
    case $_dr_since in ''|*[!0-9]*) _dr_since=$_dr_now ;; esac
    _dr_age=$(( (_dr_now - _dr_since) / 60 ))
    if [ "$_dr_owner" = "$_dr_digest" ]; then
      printf '%s %s\n' "$_dr_digest" "$_dr_now" > "$_dr_lock" || _dr_die "cannot write $_dr_lock"
      _dr_locked=1; _dr_say lock reentered; return 0
    fi
    if [ "$_dr_age" -ge "$_dr_stale" ]; then
      printf '%s %s\n' "$_dr_digest" "$_dr_now" > "$_dr_lock.$$" && mv -f "$_dr_lock.$$" "$_dr_lock" ||
        _dr_die "cannot take over $_dr_lock"
      _dr_locked=1; _dr_say "lock stale ${_dr_owner:-unknown} $_dr_age"; return 0
    fi
    _dr_die "$_dr_lock is held by another deployment (digest ${_dr_owner:-unknown}, taken $_dr_age min ago); it is released when that deployment ends, or may be taken over once it is $_dr_stale min old"
  done
}

_dr_unlock() {
  [ "$_dr_locked" = 1 ] || return 0
  _dr_locked=0
  _dr_owner=
  read -r _dr_owner _dr_rest < "$_dr_lock" 2>/dev/null
  if [ "$_dr_owner" = "$_dr_digest" ]; then
    rm -f "$_dr_lock" && _dr_say unlocked
  else
    _dr_say "lock lost ${_dr_owner:-none}"
  fi
}

# Sets _dr_prev to the release `current` points to ('' if none); refuses a `current` that is no
# symlink.
_dr_read_current() {
  _dr_prev=
  if [ -L "$_dr_p/current" ]; then
    _dr_link=$(readlink "$_dr_p/current")
    _dr_link=${_dr_link%/}
    _dr_name=${_dr_link##*/}
    case $_dr_name in ''|.|..) ;; *) [ -d "$_dr_p/releases/$_dr_name" ] && _dr_prev=$_dr_name ;; esac
  elif [ -e "$_dr_p/current" ]; then
    _dr_die "$_dr_p/current exists and is not a symlink; move it away so that releases can be switched"
  fi
}

# Points `current` at releases/<$1> with one rename: there is never a moment without `current`.
_dr_switch() {
  { [ ! -e "$_dr_p/.current.tmp" ] && [ ! -L "$_dr_p/.current.tmp" ] || rm -f "$_dr_p/.current.tmp"; } &&
    ln -s "releases/$1" "$_dr_p/.current.tmp" &&
    mv -Tf "$_dr_p/.current.tmp" "$_dr_p/current"
}

# Writes $2 (one line) as the file $1 through a temp file and a rename: a reader of the ledger
# sees the old entry or the new one, never half of one.
_dr_write() {
  if printf '%s\n' "$2" > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"; then return 0; fi
  rm -f "$1.tmp.$$"
  return 1
}

# Ends a ledger entry the runner rendered up to its last field ($2 ends with a comma) with the
# server's clock as finished_at, and writes it as the file $1.
_dr_finish_entry() { _dr_write "$1" "$2\"finished_at\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"; }

# Marks the entry $1 bad with the reason $2 (constant words, no quotes), if it is one this action
# wrote, with "bad":false,"bad_reason":null in it; any other (older, or edited) is left as it is.
# A JSON string cannot hold those words with their quotes unescaped: only the fields match.
_dr_mark_bad() {
  _dr_e=$(cat "$1" 2>/dev/null) || return 1
  _dr_ok_bad='"bad":false,"bad_reason":null'
  case $_dr_e in *"$_dr_ok_bad"*) ;; *) return 1 ;; esac
  _dr_write "$1" "${_dr_e%%"$_dr_ok_bad"*}\"bad\":true,\"bad_reason\":\"$2\"${_dr_e#*"$_dr_ok_bad"}"
}

# _dr_runner ENV DIR COMMAND [SECONDS]: runs COMMAND with sh (never the login shell) inside DIR,
# with the variables the function ENV exports and RELEASE_DIR=DIR; no stdin, all output to
# stderr. SECONDS bounds the command's time (exit 124 when it runs out). Output goes to a temp
# file, not the SSH channel: a daemon that activate starts in the background would otherwise hold
# the channel open until it exits. Its tail is shown after.
_dr_runner() {
  # In the deploy path, which this script's lock owns: mktemp in /tmp was one more fork.
  _dr_out="$_dr_p/.deploy-request-output.$$"
  (
    trap - PIPE
    "$1"
    RELEASE_DIR=$2; export RELEASE_DIR
    cd "$2" || exit 96
    if [ -n "${4-}" ] && command -v timeout >/dev/null 2>&1; then exec timeout -k 5 "$4" sh -c "$3"; fi
    exec sh -c "$3"
  ) </dev/null >"$_dr_out" 2>&1
  _dr_rc=$?
  [ ! -s "$_dr_out" ] || tail -c 4000 "$_dr_out" 1>&2
  rm -f "$_dr_out"
  return $_dr_rc
}
# The deployment's variables (_dr_env) and, for activate on the previous release, the rollback's
# (_dr_rollback_env): functions of `export NAME='value'` lines that the runner side writes.
_dr_run() { _dr_runner _dr_env "$@"; }
_dr_rollback_run() { _dr_runner _dr_rollback_env "$@"; }
