// The whole run's rows in the bench table, and its per-run detail (wall, the action's own CPU and
// the bytes it sent over SSH), from the data bench/whole-run/cases.ts measured.
import { minMed, ratio, ratioText } from '../lib/format.js';
import type { Row } from '../lib/report.js';
import { millis, seconds, summarize } from '../lib/stats.js';
import { baselineSummary, flowSummary, type WholeRunData } from './cases.js';
import type { ActionRun, EventKind, Transfer } from './flow.js';

export const WHOLE_RUN_GOALS = {
  confirmVsA: 0.85,
  dispatch: { factor: 1.2, plusMs: 500 },
  pullVsA: 0.5,
  pullGrowth: 1.5,
  api: { validate: 6, review: 8, dispatch: 10, confirm: 12 } as Record<EventKind, number>,
};

/** Bytes in MiB, or KiB below 1 MiB (what a run that only orchestrates sends). */
const mib = (bytes: number) =>
  bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** API requests per run of each kind, from the first flow at the reference size; reviews: the most. */
export function apiCounts(data: WholeRunData): {
  counts: Record<EventKind, number[]>;
  runs: ActionRun[];
} {
  const ref = data.sizes.includes(8) ? 8 : data.sizes[0]!;
  const runs = data.flows[`push@${ref}`]?.[0] ?? [];
  const counts: Record<EventKind, number[]> = {
    validate: [],
    review: [],
    dispatch: [],
    confirm: [],
  };
  for (const run of runs) counts[run.event].push(run.calls.length);
  return { counts, runs };
}

export function wholeRunRows(data: WholeRunData): Row[] {
  const ref = data.sizes.includes(8) ? 8 : data.sizes[0]!;
  const rows: Row[] = [];
  const confirm = flowSummary(data, 'push', ref, 'confirm');
  const a = baselineSummary(data, 'a', ref);
  const art = mib(data.artifactBytes);
  rows.push({
    case: `whole run: /confirm, ${art} over HTTPS, N=${ref}`,
    ours: minMed(confirm, seconds),
    baseline: `A (scp + ssh, file on the runner): ${minMed(a, seconds)}`,
    ratio: ratioText(confirm, a, 'A'),
    goal: `≤ ${WHOLE_RUN_GOALS.confirmVsA} × A`,
    met: ratio(confirm, a) <= WHOLE_RUN_GOALS.confirmVsA,
  });
  const dispatch = flowSummary(data, 'push', ref, 'dispatch');
  const script = baselineSummary(data, 'script', ref);
  const g = WHOLE_RUN_GOALS.dispatch;
  rows.push({
    case: `whole run: workflow_dispatch (provision 1 dir + 5 checks), N=${ref}`,
    ours: minMed(dispatch, millis),
    baseline: `ssh sh -s per server: ${minMed(script, millis)}`,
    ratio: ratioText(dispatch, script, 'script'),
    goal: `≤ ${g.factor} × script + ${g.plusMs / 1000} s`,
    met: dispatch && script ? dispatch.median <= g.factor * script.median + g.plusMs : false,
  });
  for (const transfer of ['push', 'pull'] as Transfer[]) {
    if (!data.transfers.includes(transfer)) {
      rows.push({
        case: `${transfer} mode, N=${data.sizes.join('/')}`,
        ours: `${transfer} mode: not available`,
        baseline: '—',
        ratio: data.pullMissing ?? '—',
        goal: `wall N=32 ≤ ${WHOLE_RUN_GOALS.pullVsA} × A; CPU and bytes ≤ ${WHOLE_RUN_GOALS.pullGrowth} × from N=8 to 32`,
        met: null,
      });
      continue;
    }
    for (const n of data.sizes) {
      if (transfer === 'push' && n === ref) continue; // the first row
      const ours = flowSummary(data, transfer, n, 'confirm');
      const base = baselineSummary(data, 'a', n);
      const pullGoal = transfer === 'pull' && n === 32;
      rows.push({
        case: `whole run: /confirm, ${transfer}, N=${n}`,
        ours: minMed(ours, seconds),
        baseline: `A: ${minMed(base, seconds)}`,
        ratio: ratioText(ours, base, 'A'),
        goal: pullGoal ? `≤ ${WHOLE_RUN_GOALS.pullVsA} × A` : '— (scaling)',
        met: pullGoal ? ratio(ours, base) <= WHOLE_RUN_GOALS.pullVsA : null,
      });
    }
    const [lo, hi] = [data.sizes[0]!, data.sizes.at(-1)!];
    if (lo === hi) continue;
    const cpu = (n: number) =>
      flowSummary(data, transfer, n, 'confirm', (r) => r.probe?.cpuS ?? NaN);
    const sent = (n: number) =>
      flowSummary(data, transfer, n, 'confirm', (r) => r.probe?.sshBytes ?? NaN);
    const [cLo, cHi, bLo, bHi] = [cpu(lo), cpu(hi), sent(lo), sent(hi)];
    if (!cLo || !cHi) continue; // a partial run (BENCH_CONTENDERS) left this transfer out
    const growth = Math.max(ratio(cHi, cLo), ratio(bHi, bLo));
    rows.push({
      case: `whole run: /confirm, ${transfer}, action CPU and SSH bytes sent, N=${lo} → ${hi}`,
      ours: `CPU ${cLo?.median.toFixed(2)} → ${cHi?.median.toFixed(2)} s; sent ${mib(bLo?.median ?? NaN)} → ${mib(bHi?.median ?? NaN)}`,
      baseline: '—',
      ratio: `CPU ${ratio(cHi, cLo).toFixed(2)} ×; bytes ${ratio(bHi, bLo).toFixed(2)} ×`,
      goal: transfer === 'pull' ? `≤ ${WHOLE_RUN_GOALS.pullGrowth} ×` : '— (grows with N)',
      met: transfer === 'pull' ? growth <= WHOLE_RUN_GOALS.pullGrowth : null,
    });
  }
  return rows;
}

/** API requests per run, read from the stand-in's log (reviews: the most of the three). */
export function apiRow(data: WholeRunData): Row {
  const { counts } = apiCounts(data);
  const kinds: EventKind[] = ['validate', 'review', 'dispatch', 'confirm'];
  const most = (k: EventKind) => (counts[k].length ? Math.max(...counts[k]) : NaN);
  const counted = kinds.every((k) => counts[k].length > 0);
  if (!counted) {
    return {
      case: 'API requests per run',
      ours: 'not run',
      baseline: '—',
      ratio: '—',
      goal: '—',
      met: null,
    };
  }
  return {
    case: 'API requests per run: validate / review / dispatch / confirm',
    ours: kinds.map(most).join(' / '),
    baseline: '—',
    ratio: `reviews: ${counts.review.join(', ')} (lead, ops 1, ops 2 + hand-over)`,
    goal: `≤ ${kinds.map((k) => WHOLE_RUN_GOALS.api[k]).join(' / ')}`,
    met: kinds.every((k) => most(k) <= WHOLE_RUN_GOALS.api[k]),
  };
}

/** Per transfer mode, size and run kind: medians of wall, the action's CPU, SSH bytes, peak RSS. */
export function wholeRunDetail(data: WholeRunData): string[][] {
  const out: string[][] = [];
  for (const transfer of data.transfers) {
    for (const n of data.sizes) {
      if (!flowSummary(data, transfer, n, 'confirm')) continue; // left out of a partial run
      for (const event of ['dispatch', 'confirm'] as const) {
        const m = (pick: (r: ActionRun) => number) =>
          flowSummary(data, transfer, n, event, pick)?.median ?? NaN;
        const base = event === 'confirm' ? data.a[n] : data.script[n];
        out.push([
          `${transfer} N=${n}: ${event === 'confirm' ? '/confirm' : 'dispatch'}`,
          (m((r) => r.ms) / 1000).toFixed(2),
          base?.length ? (summarize(base).median / 1000).toFixed(2) : '—',
          m((r) => r.probe?.cpuS ?? NaN).toFixed(2),
          mib(m((r) => r.probe?.sshBytes ?? NaN)),
          m((r) => r.probe?.maxRssMiB ?? NaN).toFixed(0),
        ]);
      }
    }
  }
  return out;
}

export const WHOLE_RUN_DETAIL_HEAD = [
  'run',
  'wall s',
  'baseline wall s',
  'action CPU s',
  'sent over SSH',
  'peak RSS MiB',
];
