# shellcheck shell=sh disable=SC2154
# The environment step on one server, in one exec: provision (directories, files, commands,
# idempotently), then gather every preset condition. Few forks: builtins where they do, one stat
# for every configured path, file contents as values (no decoding), no per-line pipelines.
#
# Values: _dr_items provisioning items, item <k> (from 0, the index reported) as _dr_kind_<k>
# (dir, file or cmd; unset for an item refused on the runner) and _dr_arg1_<k> .. _dr_arg3_<k>:
# dir: path, mode, owner; file: path, mode, content; cmd: run, unless. Checks when _dr_checks=1:
# _dr_disk (a path, or ''), _dr_memory (1 or ''), _dr_bin_<n> (_dr_bins of them), _dr_ports
# (1 or ''), _dr_cmd_<n> (_dr_cmds of them), _dr_check_s (seconds each probe may take).
#
# Output: "@@provision <k> <created|changed|unchanged|failed>", its detail as "@@+ <line>" lines;
# "@@check <kind> [index] <values...>"; command output base64-encoded (byte-cut, any content).
umask 022
_dr_nl='
'

# --- provisioning --------------------------------------------------------------------------

# Prints an item's line, then its detail line by line as "@@+ <line>": no line of free text can
# pass for a marker, and no fork.
_dr_item() {
  printf '@@provision %s %s\n' "$1" "$2"
  _dr_rest=$3
  while [ -n "$_dr_rest" ]; do
    case $_dr_rest in
      *"$_dr_nl"*) printf '@@+ %s\n' "${_dr_rest%%"$_dr_nl"*}"; _dr_rest=${_dr_rest#*"$_dr_nl"} ;;
      *) printf '@@+ %s\n' "$_dr_rest"; _dr_rest= ;;
    esac
  done
}
_dr_failed=
_dr_fail() { _dr_failed=1; _dr_item "$1" failed "$2"; }

# One stat for every configured path that exists now: "<mode> <user> <group>" into _dr_st_<k>.
_dr_stat_all() {
  set --
  _dr_ks=
  _dr_k=0
  while [ "$_dr_k" -lt "$_dr_items" ]; do
    _dr_nth _dr_kind "$_dr_k"
    case $_dr_v in
      dir | file)
        _dr_nth _dr_arg1 "$_dr_k"
        if [ -e "$_dr_v" ] || [ -L "$_dr_v" ]; then set -- "$@" "$_dr_v"; _dr_ks="$_dr_ks $_dr_k"; fi
        ;;
    esac
    _dr_k=$((_dr_k + 1))
  done
  [ $# -gt 0 ] || return 0
  # A path that cannot be read leaves every line unknown: the items then stat for themselves.
  _dr_out=$(stat -c '%a %U %G' -- "$@" 2>/dev/null) || _dr_out=
  for _dr_k in $_dr_ks; do
    case $_dr_out in
      *"$_dr_nl"*) _dr_line=${_dr_out%%"$_dr_nl"*}; _dr_out=${_dr_out#*"$_dr_nl"} ;;
      *) _dr_line=$_dr_out; _dr_out= ;;
    esac
    eval "_dr_st_$_dr_k=\$_dr_line"
  done
}

# Sets _dr_mode_now, _dr_user and _dr_group of item $1's path $2 (stat'ed above, or now).
_dr_stat() {
  _dr_nth _dr_st "$1"
  [ -n "$_dr_v" ] || _dr_v=$(stat -c '%a %U %G' -- "$2" 2>/dev/null)
  _dr_mode_now=${_dr_v%% *}
  _dr_v=${_dr_v#* }
  _dr_user=${_dr_v%% *}
  _dr_group=${_dr_v#* }
}

# _dr_same CONTENT FILE: the file holds exactly CONTENT (cmp, or the SHA-256 tool without it).
_dr_same() {
  if command -v cmp >/dev/null 2>&1; then
    printf '%s' "$1" | cmp -s - "$2"
  else
    _dr_pick_hash
    _dr_hash_file "$2" || return 1
    _dr_want=$_dr_got
    [ "$(printf '%s' "$1" | { _dr_hash && printf '%s' "$_dr_got"; })" = "$_dr_want" ]
  fi
}

# _dr_dir K PATH MODE OWNER
_dr_dir() {
  _dr_st=unchanged; _dr_d=
  if [ ! -d "$2" ]; then
    if [ -e "$2" ] || [ -L "$2" ]; then _dr_fail "$1" "exists and is not a directory"; return; fi
    _dr_err=$(mkdir -p "$2" 2>&1) || { _dr_fail "$1" "mkdir: $_dr_err"; return; }
    _dr_st=created
  fi
  if [ -n "$3" ] || [ -n "$4" ]; then _dr_stat "$1" "$2"; fi
  if [ -n "$3" ] && [ "$_dr_mode_now" != "$3" ]; then
    _dr_err=$(chmod "$3" "$2" 2>&1) || { _dr_fail "$1" "chmod $3: $_dr_err"; return; }
    [ "$_dr_st" = created ] || { _dr_st=changed; _dr_d="mode set to $3"; }
  fi
  if [ -n "$4" ]; then
    case $4 in *:*) _dr_cur="$_dr_user:$_dr_group" ;; *) _dr_cur=$_dr_user ;; esac
    if [ "$_dr_cur" != "$4" ]; then
      _dr_err=$(chown "$4" "$2" 2>&1) || { _dr_fail "$1" "chown $4 (owner is $_dr_cur): $_dr_err"; return; }
      [ "$_dr_st" = created ] || { _dr_st=changed; _dr_d="$_dr_d${_dr_d:+, }owner set to $4"; }
    fi
  fi
  _dr_item "$1" "$_dr_st" "$_dr_d"
}

# _dr_file K PATH MODE CONTENT
_dr_file() {
  if [ -e "$2" ] && [ ! -f "$2" ]; then _dr_fail "$1" "exists and is not a regular file"; return; fi
  if [ -f "$2" ] && _dr_same "$4" "$2"; then
    [ -z "$3" ] || _dr_stat "$1" "$2"
    if [ -n "$3" ] && [ "$_dr_mode_now" != "$3" ]; then
      _dr_err=$(chmod "$3" "$2" 2>&1) || { _dr_fail "$1" "chmod $3: $_dr_err"; return; }
      _dr_item "$1" changed "mode set to $3"
    else
      _dr_item "$1" unchanged ""
    fi
    return
  fi
  case $2 in */*) _dr_dir=${2%/*}; _dr_dir=${_dr_dir:-/} ;; *) _dr_dir=. ;; esac
  _dr_tmp="$_dr_dir/.dr-provision.$$.$1"
  if [ ! -d "$_dr_dir" ]; then
    _dr_err=$(mkdir -p "$_dr_dir" 2>&1) || { _dr_fail "$1" "mkdir $_dr_dir: $_dr_err"; return; }
  fi
  if ! { printf '%s' "$4" > "$_dr_tmp"; } 2>/dev/null; then
    # Once more in a subshell, only to say why.
    _dr_err=$({ printf '%s' "$4" > "$_dr_tmp"; } 2>&1)
    rm -f "$_dr_tmp"; _dr_fail "$1" "write: $_dr_err"; return
  fi
  _dr_m=$3
  if [ -z "$_dr_m" ] && [ -f "$2" ]; then _dr_stat "$1" "$2"; _dr_m=$_dr_mode_now; fi
  _dr_st=created; [ -e "$2" ] && _dr_st=changed
  # Written beside the target and renamed over it: readers see the old or the new file, never half.
  _dr_err=$({ [ -z "$_dr_m" ] || chmod "$_dr_m" "$_dr_tmp"; } 2>&1 && mv -f "$_dr_tmp" "$2" 2>&1) ||
    { rm -f "$_dr_tmp"; _dr_fail "$1" "$_dr_err"; return; }
  _dr_item "$1" "$_dr_st" ""
}

# _dr_cmd K RUN UNLESS
_dr_cmd() {
  if [ -n "$_dr_failed" ]; then _dr_item "$1" failed "not run: an earlier provisioning step failed"; return; fi
  if [ -n "$3" ] && sh -c "$3" </dev/null >/dev/null 2>&1; then _dr_item "$1" unchanged "skipped: unless succeeded"; return; fi
  _dr_o=$({ sh -c "$2" </dev/null 2>&1; echo "@rc=$?"; } | tail -n 21)
  _dr_rc=${_dr_o##*@rc=}; _dr_o=${_dr_o%@rc=*}
  if [ "$_dr_rc" = 0 ]; then _dr_item "$1" changed "$_dr_o"; else _dr_fail "$1" "exit $_dr_rc: $_dr_o"; fi
}

if [ "$_dr_items" -gt 0 ]; then
  _dr_stat_all
  _dr_k=0
  while [ "$_dr_k" -lt "$_dr_items" ]; do
    _dr_nth _dr_kind "$_dr_k"; _dr_kind=$_dr_v
    _dr_nth _dr_arg1 "$_dr_k"; _dr_a1=$_dr_v
    _dr_nth _dr_arg2 "$_dr_k"; _dr_a2=$_dr_v
    _dr_nth _dr_arg3 "$_dr_k"; _dr_a3=$_dr_v
    case $_dr_kind in
      dir) _dr_dir "$_dr_k" "$_dr_a1" "$_dr_a2" "$_dr_a3" ;;
      file) _dr_file "$_dr_k" "$_dr_a1" "$_dr_a2" "$_dr_a3" ;;
      cmd) _dr_cmd "$_dr_k" "$_dr_a1" "$_dr_a2" ;;
    esac
    _dr_k=$((_dr_k + 1))
  done
fi

# --- checks --------------------------------------------------------------------------------

[ "$_dr_checks" = 1 ] || exit 0
_dr_check() { printf '@@check %s\n' "$*"; }
if command -v timeout >/dev/null 2>&1; then _dr_T="timeout $_dr_check_s"; else _dr_T=; fi

# uname prints its fields in a fixed order: "<os> <machine>".
_dr_u=$(uname -s -m 2>/dev/null) || _dr_u=
_dr_check os "${_dr_u% *}"
_dr_check arch "${_dr_u##* }"

if [ -n "$_dr_disk" ]; then
  # df on the nearest existing parent of the path.
  _dr_q=$_dr_disk
  while [ ! -e "$_dr_q" ]; do
    case $_dr_q in */*) _dr_q=${_dr_q%/*}; _dr_q=${_dr_q:-/} ;; *) _dr_q=. ;; esac
  done
  # shellcheck disable=SC2086 # _dr_T is the timeout command and its argument, or nothing
  _dr_df=$($_dr_T df -Pk "$_dr_q" 2>/dev/null) || _dr_df=
  _dr_kb=
  case $_dr_df in
    *"$_dr_nl"*)
      set -f
      # shellcheck disable=SC2086 # split df's second line into its fields
      set -- ${_dr_df#*"$_dr_nl"}
      set +f
      _dr_kb=${4-}
      ;;
  esac
  _dr_check disk "${_dr_kb:--}" "$_dr_q"
fi

if [ "$_dr_memory" = 1 ]; then
  _dr_kb=
  if [ -r /proc/meminfo ]; then
    while read -r _dr_key _dr_val _dr_rest; do
      [ "$_dr_key" = MemAvailable: ] && { _dr_kb=$_dr_val; break; }
    done < /proc/meminfo
  fi
  _dr_check memory "$_dr_kb"
fi

_dr_i=0
while [ "$_dr_i" -lt "$_dr_bins" ]; do
  _dr_nth _dr_bin "$((_dr_i + 1))"
  # command -v prints the path and its newline itself, or nothing.
  printf '@@check binary %s ' "$_dr_i"
  command -v "$_dr_v" 2>/dev/null || echo
  _dr_i=$((_dr_i + 1))
done

if [ "$_dr_ports" = 1 ]; then
  # Local ports in state LISTEN (0A), hex, once each.
  printf '@@check listen '
  awk '$4 == "0A" { n = split($2, a, ":"); if (!(a[n] in s)) { s[a[n]] = 1; printf "%s ", a[n] } }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
  echo
fi

if [ "$_dr_cmds" -gt 0 ]; then
  if command -v base64 >/dev/null 2>&1; then
    _dr_b64() { base64 | tr -d '\n'; }
  else
    _dr_b64() { openssl base64 -A; }
  fi
  _dr_tmp=$(mktemp -d 2>/dev/null) || { _dr_tmp=/tmp/dr-check.$$; mkdir -p "$_dr_tmp"; }
  trap 'rm -rf "$_dr_tmp"' EXIT
  _dr_i=0
  while [ "$_dr_i" -lt "$_dr_cmds" ]; do
    _dr_nth _dr_cmd "$((_dr_i + 1))"
    # shellcheck disable=SC2086 # as above
    $_dr_T sh -c "$_dr_v" </dev/null >"$_dr_tmp/out" 2>"$_dr_tmp/err"
    _dr_rc=$?
    _dr_check command "$_dr_i" "$_dr_rc" "$(head -c 8192 "$_dr_tmp/out" | _dr_b64)" "$(tail -c 2000 "$_dr_tmp/err" | _dr_b64)"
    _dr_i=$((_dr_i + 1))
  done
fi
_dr_check 'done'
