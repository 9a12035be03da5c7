# shellcheck shell=sh disable=SC2154
# Pull mode's download, run by deploy-prepare.sh in place of receiving stdin (after fetch.sh):
# download into $_dr_a, hash what is on disk (the very bytes tar reads, or decompresses into the
# .tar it then reads), refuse a mismatch or a member with an absolute or ".." path (the runner
# never saw these bytes to check them), then "@@fetched <tool> <bytes>" and "@@verified <hash
# tool>". Needs _dr_a, _dr_up, _dr_sha, _dr_z and _dr_pick_hash's _dr_tool; leaves in _dr_a the
# file to unpack with tar's -${_dr_z}: the .tar.gz (z) or the .tar (empty). Its own files all
# start with $_dr_up: on failure _dr_die, whose EXIT trap removes them.
_dr_pull_artifact() {
  _dr_fetch_tool
  [ -n "$_dr_fetcher" ] ||
    _dr_die "neither curl nor wget is on the server's PATH: install one of them, or set deploy.transfer: push; nothing was unpacked or switched"
  _dr_step download
  _dr_ferr="$_dr_up.err"
  _dr_fetch >"$_dr_a" 2>"$_dr_ferr" || {
    _dr_rc=$?
    _dr_why=$(_dr_fetch_why)
    _dr_die "could not download $_dr_show with $_dr_fetcher (exit $_dr_rc): $_dr_why; nothing was unpacked or switched"
  }
  _dr_step verify
  _dr_count "$_dr_a"
  _dr_hash_file "$_dr_a" || _dr_die "cannot hash the download $_dr_a with $_dr_tool"
  [ "$_dr_got" = "$_dr_sha" ] ||
    _dr_die "SHA-256 of the $_dr_have bytes downloaded from $_dr_show is $_dr_got, expected $_dr_sha: these are not the approved bytes; nothing was unpacked or switched"
  # One decompression serves the listing and the unpack: tar -tzf then tar -xzf decompressed it
  # twice (per 64 MiB: 0.66 against 0.33 s of CPU). Without gzip, tar decompresses it twice.
  _dr_gz=
  if command -v gzip >/dev/null 2>&1; then
    _dr_gz=$_dr_a
    _dr_a="$_dr_up.tar"
    _dr_z=
    gzip -dc <"$_dr_gz" >"$_dr_a" 2>/dev/null ||
      _dr_die "the download from $_dr_show is not a .tar.gz (gzip cannot decompress it); nothing was unpacked or switched"
  fi
  tar "-t${_dr_z}f" "$_dr_a" </dev/null >"$_dr_up.list" 2>/dev/null ||
    _dr_die "the download from $_dr_show is not a .tar.gz (tar cannot list it); nothing was unpacked or switched"
  _dr_bad=$(awk '/^\// || /(^|\/)\.\.(\/|$)/ { printf "%s ", $0; if (++n == 5) exit }' "$_dr_up.list")
  [ -z "$_dr_bad" ] ||
    _dr_die "the artifact is refused: it would write outside the release directory (absolute or .. paths): $_dr_bad"
  # The listing, the tool's errors and the .tar.gz once decompressed: one rm, not one each (every
  # command is a fork and an exec, the scripts' main cost).
  rm -f "$_dr_up.list" "$_dr_ferr" ${_dr_gz:+"$_dr_gz"}
  _dr_say "fetched $_dr_fetcher $_dr_have"
  _dr_say "verified $_dr_tool"
}
