// Builds ONE script that provisions a server idempotently and prints one line per item:
//   @@dr-provision <index> <created|changed|unchanged|failed> <base64 detail>
// Values reach the shell only quoted (shellQuote) or as base64 in a quoted here-document.
import { createHash } from 'node:crypto';
import type { ProvisionConfig } from '../config/types.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { PRELUDE } from './remote-prelude.js';
import { normaliseMode, quotedPath } from './remote-path.js';
import type { ProvisionItemResult, ProvisionStatus } from './types.js';

export const PROVISION_MARK = '@@dr-provision';

const FUNCTIONS = String.raw`dr_out() { printf '${PROVISION_MARK} %s %s %s\n' "$1" "$2" "$(printf '%s' "$3" | dr_b64)"; }
dr_failed=
dr_dir() {
  p=$2; m=$3; o=$4; st=unchanged; d=
  if [ ! -d "$p" ]; then
    if [ -e "$p" ] || [ -L "$p" ]; then dr_failed=1; dr_out "$1" failed "exists and is not a directory"; return; fi
    err=$(mkdir -p "$p" 2>&1) || { dr_failed=1; dr_out "$1" failed "mkdir: $err"; return; }
    st=created
  fi
  if [ -n "$m" ] && [ "$(dr_mode "$p")" != "$m" ]; then
    err=$(chmod "$m" "$p" 2>&1) || { dr_failed=1; dr_out "$1" failed "chmod $m: $err"; return; }
    [ "$st" = created ] || { st=changed; d="mode set to $m"; }
  fi
  if [ -n "$o" ]; then
    case "$o" in *:*) cur=$(stat -c %U:%G "$p");; *) cur=$(stat -c %U "$p");; esac
    if [ "$cur" != "$o" ]; then
      err=$(chown "$o" "$p" 2>&1) || { dr_failed=1; dr_out "$1" failed "chown $o (owner is $cur): $err"; return; }
      [ "$st" = created ] || { st=changed; d="$d${'$'}{d:+, }owner set to $o"; }
    fi
  fi
  dr_out "$1" "$st" "$d"
}
dr_file() {
  p=$2; m=$3; want=$4
  if [ -e "$p" ] && [ ! -f "$p" ]; then cat >/dev/null; dr_failed=1; dr_out "$1" failed "exists and is not a regular file"; return; fi
  if [ -f "$p" ] && [ "$(dr_sha "$p")" = "$want" ]; then
    cat >/dev/null
    if [ -n "$m" ] && [ "$(dr_mode "$p")" != "$m" ]; then
      err=$(chmod "$m" "$p" 2>&1) || { dr_failed=1; dr_out "$1" failed "chmod $m: $err"; return; }
      dr_out "$1" changed "mode set to $m"
    else
      dr_out "$1" unchanged ""
    fi
    return
  fi
  dir=$(dirname "$p"); tmp="$dir/.dr-provision.$$.$1"
  err=$(mkdir -p "$dir" 2>&1) || { cat >/dev/null; dr_failed=1; dr_out "$1" failed "mkdir $dir: $err"; return; }
  err=$(dr_unb64 2>&1 > "$tmp") || { rm -f "$tmp"; dr_failed=1; dr_out "$1" failed "write: $err"; return; }
  if [ "$(dr_sha "$tmp")" != "$want" ]; then rm -f "$tmp"; dr_failed=1; dr_out "$1" failed "content changed in transit"; return; fi
  if [ -z "$m" ] && [ -f "$p" ]; then m=$(dr_mode "$p"); fi
  st=created; [ -e "$p" ] && st=changed
  # Written beside the target and renamed over it: readers see the old or the new file, never half.
  err=$({ [ -z "$m" ] || chmod "$m" "$tmp"; } 2>&1 && mv -f "$tmp" "$p" 2>&1) || { rm -f "$tmp"; dr_failed=1; dr_out "$1" failed "$err"; return; }
  dr_out "$1" "$st" ""
}
dr_cmd() {
  if [ -n "$dr_failed" ]; then dr_out "$1" failed "not run: an earlier provisioning step failed"; return; fi
  if [ -n "$3" ] && sh -c "$3" </dev/null >/dev/null 2>&1; then dr_out "$1" unchanged "skipped: unless succeeded"; return; fi
  out=$({ sh -c "$2" </dev/null 2>&1; echo "@rc=$?"; } | tail -n 21)
  rc=${'$'}{out##*@rc=}; out=${'$'}{out%@rc=*}
  if [ "$rc" = 0 ]; then dr_out "$1" changed "$out"; else dr_failed=1; dr_out "$1" failed "exit $rc: $out"; fi
}
`;

export interface PlannedItem extends ProvisionItemResult {
  /** Set when the item is refused before anything is sent (bad mode, NUL in a value). */
  refused?: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function wrap(base64: string): string {
  return base64.replace(/.{1,76}/g, '$&\n');
}

/** The script, and the items in the order their lines refer to them (by index). */
export function buildProvisionScript(provision: ProvisionConfig): {
  script: string;
  items: PlannedItem[];
} {
  const items: PlannedItem[] = [];
  const body: string[] = [];
  const plan = (item: PlannedItem, line: () => string) => {
    const index = items.push(item) - 1;
    if (item.refused) return;
    try {
      body.push(line().replace(/^dr_(\w+) /, `dr_$1 ${index} `));
    } catch (error) {
      item.refused = error instanceof Error ? error.message : String(error);
    }
  };
  for (const dir of provision.directories ?? []) {
    const mode = normaliseMode(dir.mode);
    const refused =
      dir.mode !== undefined && !mode ? `invalid mode ${JSON.stringify(dir.mode)}` : undefined;
    plan(
      { kind: 'directory', target: dir.path, status: 'failed', refused },
      () =>
        `dr_dir ${quotedPath(dir.path)} ${shellQuote(mode ?? '')} ${shellQuote(dir.owner ?? '')}`,
    );
  }
  for (const file of provision.files ?? []) {
    const mode = normaliseMode(file.mode);
    const refused =
      file.mode !== undefined && !mode ? `invalid mode ${JSON.stringify(file.mode)}` : undefined;
    const content = Buffer.from(file.content, 'utf8').toString('base64');
    plan({ kind: 'file', target: file.path, status: 'failed', refused }, () => {
      const args = `${quotedPath(file.path)} ${shellQuote(mode ?? '')} ${sha256(file.content)}`;
      return `dr_file ${args} <<'DR_CONTENT'\n${wrap(content)}DR_CONTENT`;
    });
  }
  for (const command of provision.commands ?? []) {
    plan(
      { kind: 'command', target: command.name, status: 'failed' },
      () => `dr_cmd ${shellQuote(command.run)} ${shellQuote(command.unless ?? '')}`,
    );
  }
  const script = `${PRELUDE}${FUNCTIONS}${body.join('\n')}\necho '${PROVISION_MARK}-done'\n`;
  return { script, items };
}

const STATUSES: ReadonlySet<string> = new Set(['created', 'changed', 'unchanged', 'failed']);

/** Maps the script's lines back onto the planned items; items without a line failed. */
export function parseProvisionOutput(
  stdout: string,
  items: PlannedItem[],
  missing: string,
): ProvisionItemResult[] {
  const seen = new Map<number, { status: ProvisionStatus; detail: string }>();
  for (const line of stdout.split('\n')) {
    const [mark, index, status, detail = ''] = line.split(' ');
    if (mark !== PROVISION_MARK || !status || !STATUSES.has(status)) continue;
    const i = Number(index);
    if (!Number.isInteger(i) || seen.has(i)) continue;
    seen.set(i, {
      status: status as ProvisionStatus,
      detail: Buffer.from(detail, 'base64').toString('utf8').trim(),
    });
  }
  return items.map(({ refused, ...item }, i) => {
    if (refused) return { ...item, status: 'failed', detail: refused };
    const got = seen.get(i);
    if (!got) return { ...item, status: 'failed', detail: missing };
    return { ...item, status: got.status, ...(got.detail ? { detail: got.detail } : {}) };
  });
}
