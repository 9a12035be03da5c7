// Round trip 1 on a server: lock, receive the artifact on stdin while hashing it, verify it,
// unpack it into releases/<id>, link shared entries, write metadata, run before_activate.
// Any failure removes what it created and releases the lock (EXIT trap); success keeps the lock.
import { ANNOUNCE_STDIN_READY } from '../ssh/remote-command.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { pullArtifactScript, type PullSource } from './pull-artifact-script.js';
import {
  assignments,
  LOCK_FUNCTIONS,
  prelude,
  READ_CURRENT,
  runnerFunction,
  traps,
} from './remote-shell.js';

export interface PrepareScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  sha256: string;
  size: number;
  sharedLinks: string[];
  metadataJson: string;
  beforeActivate: string[];
  env: Record<string, string>;
  /** Pull mode: the server downloads the artifact from here instead of reading stdin. */
  pull?: PullSource;
}

/** Picks the fastest SHA-256 tool present: openssl (assembler) before sha256sum before shasum. */
const HASH_TOOL = `if printf '' | openssl dgst -sha256 >/dev/null 2>&1; then
  _dr_tool=openssl; _dr_hash() { _dr_h=$(openssl dgst -sha256) && printf '%s' "\${_dr_h##* }"; }
elif command -v sha256sum >/dev/null 2>&1; then
  _dr_tool=sha256sum; _dr_hash() { _dr_h=$(sha256sum) && printf '%s' "\${_dr_h%% *}"; }
elif command -v shasum >/dev/null 2>&1; then
  _dr_tool=shasum; _dr_hash() { _dr_h=$(shasum -a 256) && printf '%s' "\${_dr_h%% *}"; }
else
  _dr_die "no SHA-256 tool on the server (openssl, sha256sum or shasum)"
fi
`;

/**
 * Lists unpacked symlinks whose target is absolute or resolves outside the release; readlink -m
 * follows link chains, which a look at the archive alone cannot.
 */
const SYMLINK_CHECK = `_dr_real=$(cd "$_dr_stage" && pwd -P) || _dr_die "cannot enter $_dr_stage"
_dr_bad=$(find "$_dr_real" -type l -exec sh -c '
  root=$1; shift
  for l do
    case $(readlink "$l") in /*) printf "%s " "\${l#"$root"/}"; continue ;; esac
    t=$(readlink -m "$l" 2>/dev/null || readlink -f "$l" 2>/dev/null) || t=
    case $t in "$root"|"$root"/*) ;; *) printf "%s " "\${l#"$root"/}" ;; esac
  done' sh "$_dr_real" {} +)
[ -z "$_dr_bad" ] || _dr_die "the artifact has symlinks pointing outside the release, refused: $_dr_bad"
`;

function sharedLink(entry: string): string {
  const name = shellQuote(entry);
  return `_dr_e=${name}
[ -e "$_dr_p/shared/$_dr_e" ] || [ -L "$_dr_p/shared/$_dr_e" ] ||
  _dr_die "shared_links: $_dr_p/shared/$_dr_e does not exist (create it first, e.g. with provision)"
rm -rf "\${_dr_r:?}/$_dr_e" && mkdir -p "$(dirname "$_dr_r/$_dr_e")" &&
  ln -s "$_dr_p/shared/$_dr_e" "$_dr_r/$_dr_e" || _dr_die "shared_links: cannot link $_dr_e"
`;
}

function beforeActivate(commands: string[]): string {
  return commands
    .map(
      (command, i) =>
        `_dr_run "$_dr_r" ${shellQuote(command)} || _dr_die "before_activate[${i}] exited with $?"\n`,
    )
    .join('');
}

export function prepareScript(input: PrepareScriptInput): string {
  return `${prelude(input.deployPath, input.digest, input.staleMinutes)}${assignments({
    _dr_id: input.releaseId,
    _dr_sha: input.sha256,
    _dr_size: input.size,
  })}_dr_r="$_dr_p/releases/$_dr_id"
_dr_stage="$_dr_p/releases/.$_dr_id.partial"
_dr_a="$_dr_p/.deploy-request-upload-$_dr_id.tar.gz"
_dr_ok=0
_dr_made=0
${LOCK_FUNCTIONS}${runnerFunction('_dr_run', input.env)}${traps(
    'if [ "$_dr_ok" != 1 ]; then rm -rf "$_dr_stage" "$_dr_a"; [ "$_dr_made" = 1 ] && rm -rf "$_dr_r"; _dr_unlock; fi',
  )}_dr_step lock
_dr_take_lock
# What a run killed before its EXIT trap left (a partial upload, a half-unpacked stage): only a
# lock holder writes these, and the lock is ours now.
rm -rf "\${_dr_p:?}"/.deploy-request-upload-* "\${_dr_p:?}"/releases/.*.partial
_dr_step check
${READ_CURRENT}_dr_say "previous $_dr_prev"
[ ! -e "$_dr_r" ] || _dr_die "release $_dr_id already exists on this server"
mkdir -p "$_dr_p/releases" "$_dr_p/shared" || _dr_die "cannot create $_dr_p/releases"
${HASH_TOOL}${
    input.pull
      ? pullArtifactScript(input.pull)
      : `_dr_step upload
${ANNOUNCE_STDIN_READY}
_dr_got=$(tee "$_dr_a" | _dr_hash) || _dr_die "could not receive the artifact"
_dr_step verify
_dr_have=$(wc -c < "$_dr_a" | tr -d ' ')
[ "$_dr_have" = "$_dr_size" ] || _dr_die "received $_dr_have of $_dr_size bytes (connection cut or disk full?)"
[ "$_dr_got" = "$_dr_sha" ] ||
  _dr_die "SHA-256 on the server is $_dr_got, expected $_dr_sha: the upload was altered or corrupted, nothing was switched"
_dr_say "verified $_dr_tool"
`
  }_dr_step unpack
rm -rf "$_dr_stage" && mkdir "$_dr_stage" || _dr_die "cannot create $_dr_stage"
tar -xzf "$_dr_a" -C "$_dr_stage" </dev/null 1>&2 || _dr_die "tar could not unpack the artifact"
rm -f "$_dr_a"
${SYMLINK_CHECK}mv "$_dr_stage" "$_dr_r" && _dr_made=1 || _dr_die "cannot move the release into place"
${input.sharedLinks.length ? '_dr_step link\n' : ''}${input.sharedLinks.map(sharedLink).join('')}_dr_step metadata
printf '%s\\n' ${shellQuote(input.metadataJson)} > "$_dr_r/.deploy-request.json" ||
  _dr_die "cannot write $_dr_r/.deploy-request.json"
${input.beforeActivate.length ? '_dr_step before_activate\n' : ''}${beforeActivate(input.beforeActivate)}_dr_ok=1
_dr_say prepared
`;
}
