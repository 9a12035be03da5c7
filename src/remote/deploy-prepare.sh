# shellcheck shell=sh disable=SC2154
# Round trip 1 on a server: lock, receive the artifact while hashing it, verify it, unpack it
# into releases/<id>, link shared entries, write metadata, run before_activate. Any failure
# removes what it created and releases the lock (EXIT trap); success keeps the lock.
# Values: _dr_id, _dr_sha, _dr_size, _dr_meta, the lists _dr_link_<n> (_dr_links of them) and
# _dr_before_<n> (_dr_befores), _dr_url ('' unless pulling; then fetch.sh and deploy-pull.sh come before this file),
# and the functions _dr_env and _dr_announce_stdin (prints the line after which the runner sends
# the artifact).
_dr_enter_path
_dr_r="$_dr_p/releases/$_dr_id"
_dr_stage="$_dr_p/releases/.$_dr_id.partial"
# The upload and what pull mode makes of it (.tar, .err, .list) all start with $_dr_up.
_dr_up="$_dr_p/.deploy-request-upload-$_dr_id"
_dr_a="$_dr_up.tar.gz"
_dr_z=z # tar's decompression flag for $_dr_a; pull mode may decompress it first
_dr_ok=0
_dr_made=0
_dr_cleanup() {
  if [ "$_dr_ok" != 1 ]; then
    rm -rf "$_dr_stage" "$_dr_up".*
    [ "$_dr_made" = 1 ] && rm -rf "$_dr_r"
    _dr_unlock
  fi
}
_dr_traps

_dr_step lock
_dr_take_lock
# What a run killed before its EXIT trap left (a partial upload, a half-unpacked stage): only a
# lock holder writes these, and the lock is ours now. Usually there is none, and no rm to fork.
for _dr_x in "${_dr_p:?}"/.deploy-request-upload-* "${_dr_p:?}"/releases/.*.partial; do
  [ ! -e "$_dr_x" ] && [ ! -L "$_dr_x" ] || rm -rf "$_dr_x"
done

_dr_step check
_dr_read_current
_dr_say "previous $_dr_prev"
[ ! -e "$_dr_r" ] || _dr_die "release $_dr_id already exists on this server"
[ -d "$_dr_p/releases" ] && [ -d "$_dr_p/shared" ] || mkdir -p "$_dr_p/releases" "$_dr_p/shared" ||
  _dr_die "cannot create $_dr_p/releases"
_dr_pick_hash

if [ -n "$_dr_url" ]; then
  # Pull mode: the server downloads and verifies the artifact itself (deploy-pull.sh).
  _dr_pull_artifact
else
  # Receive the artifact into $_dr_a: on stdin from the runner, once this script has said it is
  # ready (no byte goes to a server that refused above). Hashed from the file once complete, not
  # through tee as it passes: tee's 8 KiB copies and a second pipe cost twice the CPU (measured:
  # 0.29 against 0.15 s per 64 MiB), while hashing the file from the page cache takes ~40 ms.
  _dr_step upload
  _dr_announce_stdin
  cat > "$_dr_a" || _dr_die "could not receive the artifact"

  # Verify the SHA-256; nothing is unpacked otherwise. The size is counted only to say why not.
  _dr_step verify
  _dr_hash_file "$_dr_a" || _dr_die "cannot hash the upload $_dr_a with $_dr_tool"
  if [ "$_dr_got" != "$_dr_sha" ]; then
    _dr_count "$_dr_a"
    [ "$_dr_have" = "$_dr_size" ] || _dr_die "received $_dr_have of $_dr_size bytes (connection cut or disk full?)"
    _dr_die "SHA-256 on the server is $_dr_got, expected $_dr_sha: the upload was altered or corrupted, nothing was switched"
  fi
  _dr_say "verified $_dr_tool"
fi

_dr_step unpack
# No stage is left over: the loop after taking the lock removed any.
mkdir "$_dr_stage" || _dr_die "cannot create $_dr_stage"
tar "-x${_dr_z}f" "$_dr_a" -C "$_dr_stage" </dev/null 1>&2 || _dr_die "tar could not unpack the artifact"
rm -f "$_dr_a"
# Unpacked symlinks whose target is absolute or resolves outside the release are refused;
# readlink -m follows link chains, which a look at the archive alone cannot.
cd -P "$_dr_stage" || _dr_die "cannot enter $_dr_stage"
_dr_real=$PWD
cd || exit 97
# shellcheck disable=SC2016 # the inner script's variables are its own
_dr_bad=$(find "$_dr_real" -type l -exec sh -c '
  root=$1; shift
  for l do
    case $(readlink "$l") in /*) printf "%s " "${l#"$root"/}"; continue ;; esac
    t=$(readlink -m "$l" 2>/dev/null || readlink -f "$l" 2>/dev/null) || t=
    case $t in "$root"|"$root"/*) ;; *) printf "%s " "${l#"$root"/}" ;; esac
  done' sh "$_dr_real" {} +)
[ -z "$_dr_bad" ] || _dr_die "the artifact has symlinks pointing outside the release, refused: $_dr_bad"
mv "$_dr_stage" "$_dr_r" && _dr_made=1 || _dr_die "cannot move the release into place"

[ "$_dr_links" -gt 0 ] && _dr_step link
_dr_i=0
while [ "$_dr_i" -lt "$_dr_links" ]; do
  _dr_i=$((_dr_i + 1))
  _dr_nth _dr_link "$_dr_i"
  _dr_e=$_dr_v
  [ -e "$_dr_p/shared/$_dr_e" ] || [ -L "$_dr_p/shared/$_dr_e" ] ||
    _dr_die "shared_links: $_dr_p/shared/$_dr_e does not exist (create it first, e.g. with provision)"
  rm -rf "${_dr_r:?}/$_dr_e" && mkdir -p "$(dirname "$_dr_r/$_dr_e")" &&
    ln -s "$_dr_p/shared/$_dr_e" "$_dr_r/$_dr_e" || _dr_die "shared_links: cannot link $_dr_e"
done

_dr_step metadata
printf '%s\n' "$_dr_meta" > "$_dr_r/.deploy-request.json" ||
  _dr_die "cannot write $_dr_r/.deploy-request.json"

[ "$_dr_befores" -gt 0 ] && _dr_step before_activate
_dr_i=0
while [ "$_dr_i" -lt "$_dr_befores" ]; do
  _dr_nth _dr_before "$((_dr_i + 1))"
  _dr_run "$_dr_r" "$_dr_v" || _dr_die "before_activate[$_dr_i] exited with $?"
  _dr_i=$((_dr_i + 1))
done
_dr_ok=1
_dr_say prepared
