// Pull mode (deploy.transfer: pull): each server downloads the artifact itself, with curl or wget,
// from artifact.url or a release asset's short-lived signed link, so the runner sends no artifact
// bytes and its cost stays flat as the fleet grows. The URL enters the script only as a
// single-quoted assignment (invariant 7); the bytes are verified against the request's sha256 on
// the server before anything unpacks (invariant 12). A signed link's query is a credential: it
// never appears in a message (the tools' errors are cut at '?').
import { shellQuote } from '../ssh/shell-quote.js';

export interface PullSource {
  /** What the server fetches: https only (the request schema), possibly a signed link. */
  url: string;
  /** The URL as messages show it: no query, no credentials (displayUrl). */
  show: string;
}

/** Largest download curl accepts, like the runner's limit for pushed artifacts (2 GiB). */
const MAX_BYTES = 2 * 1024 ** 3;

/** Assignments of the URL and its display form; the only way they enter a script. */
function sourceLines(source: PullSource): string {
  return `_dr_url=${shellQuote(source.url)}\n_dr_show=${shellQuote(source.show)}\n`;
}

/**
 * Defines _dr_fetch (the URL to stdout, errors to stderr) and _dr_fetcher, or leaves
 * _dr_fetcher empty: curl first, then GNU wget, then BusyBox wget. https only, also on redirects.
 */
const FETCH_TOOL = `_dr_fetcher=
if command -v curl >/dev/null 2>&1; then
  _dr_fetcher=curl
  _dr_fetch() { curl -fsSL --show-error --proto =https --proto-redir =https --max-redirs 5 --connect-timeout 20 --retry 2 --max-filesize ${MAX_BYTES} -- "$_dr_url"; }
elif command -v wget >/dev/null 2>&1; then
  _dr_fetcher=wget
  if wget --version 2>/dev/null | grep -q 'GNU Wget'; then
    _dr_fetch() { wget -nv -O - --https-only --max-redirect=5 --timeout=30 --tries=3 -- "$_dr_url"; }
  else
    _dr_fetch() { wget -q -O - -T 30 -- "$_dr_url"; }
  fi
fi
`;

/** The last lines of a tool's stderr as one line, each URL's query cut off. */
const WHY = `tail -c 400 "$_dr_ferr" 2>/dev/null | tr '\\n' ' ' | sed 's/?[^[:space:]]*/?…/g'`;

/**
 * The shell fragment of the prepare script that replaces receiving the artifact on stdin:
 * fetch into "$_dr_a", hash what is on disk (the very bytes tar reads), refuse a mismatch or a
 * member with an absolute or ".." path (the runner never saw these bytes to check them), then
 * say "@@fetched <tool> <bytes>" and "@@verified <hash tool>". Needs prepare-script's _dr_a,
 * _dr_sha, _dr_hash and _dr_tool; on any failure _dr_die, whose EXIT trap removes "$_dr_a".
 */
export function pullArtifactScript(source: PullSource): string {
  return `${sourceLines(source)}${FETCH_TOOL}[ -n "$_dr_fetcher" ] ||
  _dr_die "neither curl nor wget is on the server's PATH: install one of them, or set deploy.transfer: push; nothing was unpacked or switched"
_dr_step download
_dr_ferr="$_dr_a.err"
_dr_fetch >"$_dr_a" 2>"$_dr_ferr" || {
  _dr_rc=$?
  _dr_why=$(${WHY})
  rm -f "$_dr_ferr"
  _dr_die "could not download $_dr_show with $_dr_fetcher (exit $_dr_rc): $_dr_why; nothing was unpacked or switched"
}
rm -f "$_dr_ferr"
_dr_step verify
_dr_have=$(wc -c < "$_dr_a" | tr -d ' ')
_dr_got=$(_dr_hash < "$_dr_a") || _dr_die "cannot read the download $_dr_a"
[ "$_dr_got" = "$_dr_sha" ] ||
  _dr_die "SHA-256 of the $_dr_have bytes downloaded from $_dr_show is $_dr_got, expected $_dr_sha: these are not the approved bytes; nothing was unpacked or switched"
tar -tzf "$_dr_a" </dev/null >"$_dr_a.list" 2>/dev/null ||
  _dr_die "the download from $_dr_show is not a .tar.gz (tar cannot list it); nothing was unpacked or switched"
_dr_bad=$(awk '/^\\// || /(^|\\/)\\.\\.(\\/|$)/ { printf "%s ", $0; if (++n == 5) exit }' "$_dr_a.list")
rm -f "$_dr_a.list"
[ -z "$_dr_bad" ] ||
  _dr_die "the artifact is refused: it would write outside the release directory (absolute or .. paths): $_dr_bad"
_dr_say "fetched $_dr_fetcher $_dr_have"
_dr_say "verified $_dr_tool"
`;
}

/** Marks of the environment check's pull prerequisites (parsed by pullCheckResults). */
export const PULL_TOOL_MARK = '@@dr-pull tool';
export const PULL_URL_MARK = '@@dr-pull url';

/** Seconds the reachability probe may take. */
export const PROBE_TIMEOUT_S = 15;

/** Check-script lines saying which download tool the server has ("-" for none). */
export function pullToolScript(): string {
  return `${FETCH_TOOL}printf '%s %s\n' '${PULL_TOOL_MARK}' "\${_dr_fetcher:--}"\n`;
}

/**
 * Check-script lines: which download tool the server has, and whether the URL answers from the
 * server. The probe asks for one byte (Range: bytes=0-0; a signed link allows GET, not HEAD);
 * curl's --max-filesize 1 stops a server that ignores the range before the body comes.
 */
export function pullProbeScript(source: PullSource): string {
  return `${sourceLines(source)}${pullToolScript()}_dr_ferr=$(mktemp "\${TMPDIR:-/tmp}/dr-probe.XXXXXX") || _dr_ferr=/dev/null
_dr_to=
command -v timeout >/dev/null 2>&1 && _dr_to="timeout ${PROBE_TIMEOUT_S + 5}"
case $_dr_fetcher in
  curl) curl -fsS --proto =https --proto-redir =https --max-redirs 5 -r 0-0 --max-filesize 1 --max-time ${PROBE_TIMEOUT_S} -o /dev/null -- "$_dr_url" 2>"$_dr_ferr"
    _dr_rc=$?
    [ "$_dr_rc" = 63 ] && _dr_rc=0 ;;
  wget) $_dr_to wget -q -O /dev/null --header 'Range: bytes=0-0' -T ${PROBE_TIMEOUT_S} -- "$_dr_url" 2>"$_dr_ferr"
    _dr_rc=$? ;;
  *) _dr_rc=- ;;
esac
printf '%s %s %s\n' '${PULL_URL_MARK}' "$_dr_rc" "$(${WHY})"
[ "$_dr_ferr" = /dev/null ] || rm -f "$_dr_ferr"
`;
}
