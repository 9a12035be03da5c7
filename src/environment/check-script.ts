// Builds ONE script that gathers every preset condition of a server (one SSH channel) and
// prints one line per fact:  @@dr-check <kind> [index] <values…>  (free text base64-encoded).
import type { ChecksConfig } from '../config/types.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { PRELUDE } from './remote-prelude.js';
import { quotedPath } from './remote-path.js';

export const CHECK_MARK = '@@dr-check';
/** Each probe gets this long on the server (when `timeout` exists there). */
export const CHECK_TIMEOUT_S = 20;

const FUNCTIONS = String.raw`if command -v timeout >/dev/null 2>&1; then T="timeout ${CHECK_TIMEOUT_S}"; else T=; fi
dr_tmp=$(mktemp -d 2>/dev/null) || { dr_tmp=/tmp/dr-check.$$; mkdir -p "$dr_tmp"; }
trap 'rm -rf "$dr_tmp"' EXIT
dr_line() { printf '${CHECK_MARK} %s\n' "$*"; }
dr_text() { printf '%s' "$1" | dr_b64; }
dr_disk() {
  p=$1
  while [ ! -e "$p" ]; do p=$(dirname "$p"); done
  kb=$($T df -Pk "$p" 2>/dev/null | awk 'NR == 2 { print $4 }')
  dr_line disk "${'$'}{kb:--}" "$(dr_text "$p")"
}
dr_listening() {
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" { n = split($2, a, ":"); print a[n] }' | sort -u | tr '\n' ' '
}
dr_cmd() {
  $T sh -c "$2" </dev/null >"$dr_tmp/out" 2>"$dr_tmp/err"; rc=$?
  dr_line command "$1" "$rc" "$(head -c 8192 "$dr_tmp/out" | dr_b64)" "$(tail -c 2000 "$dr_tmp/err" | dr_b64)"
}
`;

export function buildCheckScript(checks: ChecksConfig): string {
  const lines = [
    `dr_line os "$(dr_text "$(uname -s)")"`,
    `dr_line arch "$(dr_text "$(uname -m)")"`,
  ];
  if (checks.disk_free) lines.push(`dr_disk ${quotedPath(checks.disk_free.path)}`);
  if (checks.memory_available_mb !== undefined) {
    lines.push(
      `dr_line memory "$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null || true)"`,
    );
  }
  (checks.binaries ?? []).forEach((binary, i) => {
    lines.push(
      `dr_line binary ${i} "$(dr_text "$(command -v ${shellQuote(binary)} 2>/dev/null)")"`,
    );
  });
  if ((checks.ports_free ?? []).length > 0) lines.push(`dr_line listen "$(dr_listening)"`);
  (checks.commands ?? []).forEach((command, i) =>
    lines.push(`dr_cmd ${i} ${shellQuote(command.run)}`),
  );
  return `${PRELUDE}${FUNCTIONS}${lines.join('\n')}\ndr_line 'done'\n`;
}
