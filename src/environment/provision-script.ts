// The provisioning part of the environment script: a server's directories, files and commands,
// idempotently, one line per item (by index):
//   @@provision <index> <created|changed|unchanged|failed>   then its detail as "@@+ <line>" lines
// Every value, file contents included, enters as a single-quoted assignment.
import type { ProvisionConfig } from '../config/types.js';
import { assignments, type ShellValues } from '../remote/assemble.js';
import { DETAIL_MARK, environmentScript, NO_CHECKS, PROVISION_MARK } from './environment-script.js';
import { normaliseMode, remotePath } from './remote-path.js';
import type { ProvisionItemResult, ProvisionStatus } from './types.js';

export { PROVISION_MARK };

export interface PlannedItem extends ProvisionItemResult {
  /** Set when the item is refused before anything is sent (bad mode, NUL in a value). */
  refused?: string;
}

type Kind = 'dir' | 'file' | 'cmd';

/** The items in the order their lines refer to them (by index), and the values for the script. */
export function provisionValues(provision: ProvisionConfig): {
  values: ShellValues;
  items: PlannedItem[];
} {
  const items: PlannedItem[] = [];
  const values: ShellValues = {};
  const plan = (item: PlannedItem, kind: Kind, args: [string, string, string]) => {
    const index = items.push(item) - 1;
    if (item.refused) return;
    const own: ShellValues = { [`_dr_kind_${index}`]: kind };
    args.forEach((arg, i) => (own[`_dr_arg${i + 1}_${index}`] = arg));
    try {
      assignments(own); // refuses what cannot be quoted (a NUL) before it joins the script
      Object.assign(values, own);
    } catch (error) {
      item.refused = error instanceof Error ? error.message : String(error);
    }
  };
  const invalid = (mode: string | undefined, normal: string | undefined) =>
    mode !== undefined && !normal ? `invalid mode ${JSON.stringify(mode)}` : undefined;
  for (const dir of provision.directories ?? []) {
    const mode = normaliseMode(dir.mode);
    plan(
      { kind: 'directory', target: dir.path, status: 'failed', refused: invalid(dir.mode, mode) },
      'dir',
      [remotePath(dir.path), mode ?? '', dir.owner ?? ''],
    );
  }
  for (const file of provision.files ?? []) {
    const mode = normaliseMode(file.mode);
    plan(
      { kind: 'file', target: file.path, status: 'failed', refused: invalid(file.mode, mode) },
      'file',
      [remotePath(file.path), mode ?? '', file.content],
    );
  }
  for (const command of provision.commands ?? []) {
    plan({ kind: 'command', target: command.name, status: 'failed' }, 'cmd', [
      command.run,
      command.unless ?? '',
      '',
    ]);
  }
  return { values: { _dr_items: items.length, ...values }, items };
}

/** Provisioning alone (no checks): the script, and the items in the order of their indexes. */
export function buildProvisionScript(provision: ProvisionConfig): {
  script: string;
  items: PlannedItem[];
} {
  const { values, items } = provisionValues(provision);
  return { script: environmentScript(values, NO_CHECKS), items };
}

const STATUSES: ReadonlySet<string> = new Set(['created', 'changed', 'unchanged', 'failed']);

/** Maps the script's lines back onto the planned items; items without a line failed. */
export function parseProvisionOutput(
  stdout: string,
  items: PlannedItem[],
  missing: string,
): ProvisionItemResult[] {
  const seen = new Map<number, { status: ProvisionStatus; detail: string[] }>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${DETAIL_MARK} `)) {
      current?.push(line.slice(DETAIL_MARK.length + 1));
      continue;
    }
    current = undefined;
    const [mark, index, status] = line.split(' ');
    if (mark !== PROVISION_MARK || !status || !STATUSES.has(status)) continue;
    const i = Number(index);
    if (!Number.isInteger(i) || seen.has(i)) continue;
    current = [];
    seen.set(i, { status: status as ProvisionStatus, detail: current });
  }
  return items.map(({ refused, ...item }, i) => {
    if (refused) return { ...item, status: 'failed', detail: refused };
    const got = seen.get(i);
    if (!got) return { ...item, status: 'failed', detail: missing };
    const detail = got.detail.join('\n').trim();
    return { ...item, status: got.status, ...(detail ? { detail } : {}) };
  });
}
