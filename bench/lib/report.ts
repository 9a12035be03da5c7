// The table: printed to the terminal and written as Markdown (bench/RESULTS.md).

export interface Row {
  case: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** null: informational, no goal. */
  met: boolean | null;
}

const HEAD = [
  'case',
  'ours (min / median)',
  'baseline (min / median)',
  'ratio of medians (per-round spread)',
  'goal',
  'result',
];

function verdict(met: boolean | null): string {
  return met === null ? 'info' : met ? 'met' : 'NOT MET';
}

function cells(row: Row): string[] {
  return [row.case, row.ours, row.baseline, row.ratio, row.goal, verdict(row.met)];
}

/** Multi-value cells use '; ' between parts; the terminal table puts each part on its own line. */
export function textTable(rows: Row[]): string {
  const split = rows.map((row) => cells(row).map((cell) => cell.split('; ')));
  const widths = HEAD.map((h, i) =>
    Math.max(h.length, ...split.map((r) => Math.max(...r[i]!.map((part) => part.length)))),
  );
  const line = (parts: string[]) =>
    parts
      .map((p, i) => p.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out = [line(HEAD), rule];
  for (const r of split) {
    const height = Math.max(...r.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(r.map((c) => c[k] ?? '')));
  }
  return out.join('\n');
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/; /g, '<br>');
  const out = [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(esc).join(' | ')} |`),
  ];
  return out.join('\n');
}
