// Cell formats shared by the bench's tables: min / median, ratios of medians with their spread.
import type { Row } from './report.js';
import type { Summary } from './stats.js';

export const pct = (share: number) =>
  Number.isFinite(share) ? `${(100 * share).toFixed(0)} %` : '—';

export const minMed = (s: Summary | undefined, fmt: (ms: number) => string) =>
  s ? `${fmt(s.min)} / ${fmt(s.median)}` : 'not run';

export const ratio = (a: Summary | undefined, b: Summary | undefined) =>
  a && b ? a.median / b.median : NaN;

export const times = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)} ×` : '—');

/** Ratio of medians, and the spread of the per-round ratios (the i-th runs share a round). */
export function ratioText(a: Summary | undefined, b: Summary | undefined, name: string): string {
  const r = ratio(a, b);
  if (!a || !b || !Number.isFinite(r)) return `— ${name}`;
  const rounds = a.samples.slice(0, b.samples.length).map((v, i) => v / b.samples[i]!);
  const spread = `rounds ${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}`;
  return `${times(r)} ${name} (${spread})`;
}

export function mdTable(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** A row "ours vs <name>" whose goal is ours ≤ limit × the baseline (ratio of medians). */
export function vsRow(
  name: string,
  ours: Summary | undefined,
  base: Summary | undefined,
  baseName: string,
  limit: number,
  fmt: (ms: number) => string,
): Row {
  return {
    case: name,
    ours: minMed(ours, fmt),
    baseline: `${baseName}: ${minMed(base, fmt)}`,
    ratio: ratioText(ours, base, baseName),
    goal: `≤ ${limit} × ${baseName}`,
    met: ratio(ours, base) <= limit,
  };
}
