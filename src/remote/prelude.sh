# shellcheck shell=sh disable=SC2034
# The start of every remote script (POSIX sh; coreutils or busybox), after the assignment lines
# that carry its values (the only way data enters: name='value', invariant 7). It starts in the
# login home (configured paths may be relative to it) and defines the output helpers: progress
# goes to stdout as "@@<marker> ..." lines (src/remote/markers.ts), command output to stderr.
cd || exit 97
_dr_t() { date +%s%N 2>/dev/null || date +%s; }
_dr_say() { printf '@@%s\n' "$*"; }
_dr_step() { printf '@@step %s %s\n' "$1" "$(_dr_t)"; }
_dr_die() { printf '@@error %s\n' "$*"; exit 1; }
# Sets _dr_v to the value of the numbered assignment <$1>_<$2> (lists arrive as _dr_x_1, _dr_x_2,
# ...). Only our own names and counters are evaluated, never a value.
_dr_nth() { _dr_v=; eval "_dr_v=\${${1}_$2-}"; }
# Picks the SHA-256 tool: openssl first, as its assembler (SHA-NI where the CPU has it) hashes
# 2-3x faster than coreutils sha256sum built without libcrypto (Debian 12: 64 MB in 0.07-0.11 s
# against 0.21-0.25 s), then sha256sum, then shasum (Perl, slowest). openssl is tried, not just
# looked up: a build without SHA-256 must not be picked. Sets _dr_tool; _dr_hash hashes stdin.
_dr_pick_hash() {
  if printf '' | openssl dgst -sha256 >/dev/null 2>&1; then
    _dr_tool=openssl; _dr_hash() { _dr_h=$(openssl dgst -sha256) && printf '%s' "${_dr_h##* }"; }
  elif command -v sha256sum >/dev/null 2>&1; then
    _dr_tool=sha256sum; _dr_hash() { _dr_h=$(sha256sum) && printf '%s' "${_dr_h%% *}"; }
  elif command -v shasum >/dev/null 2>&1; then
    _dr_tool=shasum; _dr_hash() { _dr_h=$(shasum -a 256) && printf '%s' "${_dr_h%% *}"; }
  else
    _dr_die "no SHA-256 tool on the server (openssl, sha256sum or shasum)"
  fi
}
