# shellcheck shell=sh disable=SC2034
# The start of every remote script (POSIX sh; coreutils or busybox), after the assignment lines
# that carry its values (the only way data enters: name='value', invariant 7). It starts in the
# login home (configured paths may be relative to it) and defines the output helpers: progress
# goes to stdout as "@@<marker> ..." lines (src/remote/markers.ts), command output to stderr.
# CDPATH would send a relative cd elsewhere (and print where).
unset CDPATH
cd || exit 97
_dr_say() { printf '@@%s\n' "$*"; }
# The runner times each step from when its line arrives: a stamp here forked `date` each time.
_dr_step() { printf '@@step %s\n' "$1"; }
_dr_die() { printf '@@error %s\n' "$*"; exit 1; }
# Sets _dr_v to the value of the numbered assignment <$1>_<$2> (lists arrive as _dr_x_1, _dr_x_2,
# ...). Only our own names and counters are evaluated, never a value.
_dr_nth() { _dr_v=; eval "_dr_v=\${${1}_$2-}"; }
# Picks the SHA-256 tool: openssl first, as its assembler (SHA-NI where the CPU has it) hashes
# 2-3x faster than coreutils sha256sum built without libcrypto (Debian 12: 64 MB in 0.07-0.11 s
# against 0.21-0.25 s), then sha256sum, then shasum (Perl, slowest). Picked by what is on PATH
# (a trial run was one more fork and exec); an openssl that cannot hash (built without SHA-256)
# gives way to the next when _dr_hash_file finds so ($1 = past-openssl). Sets _dr_tool.
_dr_pick_hash() {
  if [ -z "${1-}" ] && command -v openssl >/dev/null 2>&1; then _dr_tool=openssl
  elif command -v sha256sum >/dev/null 2>&1; then _dr_tool=sha256sum
  elif command -v shasum >/dev/null 2>&1; then _dr_tool=shasum
  else _dr_die "no SHA-256 tool on the server (openssl, sha256sum or shasum)"
  fi
}
# Sets _dr_got to the SHA-256 (hex) of stdin, with _dr_tool: one fork and exec.
_dr_hash() {
  case $_dr_tool in
    openssl) _dr_got=$(openssl dgst -sha256 2>/dev/null) && _dr_got=${_dr_got##* } && [ -n "$_dr_got" ] ;;
    sha256sum) _dr_got=$(sha256sum) && _dr_got=${_dr_got%% *} ;;
    *) _dr_got=$(shasum -a 256) && _dr_got=${_dr_got%% *} ;;
  esac
}
# _dr_hash_file FILE: _dr_hash of the file; an openssl that fails is passed over for the next.
_dr_hash_file() {
  _dr_hash <"$1" && return 0
  [ "$_dr_tool" = openssl ] || return 1
  _dr_pick_hash past-openssl
  _dr_hash <"$1"
}
# _dr_count FILE: sets _dr_have to its size in bytes (wc pads it with spaces on some systems).
_dr_count() {
  _dr_have=$(wc -c <"$1") || _dr_have='?'
  _dr_have=${_dr_have##* }
}
