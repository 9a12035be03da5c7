// The rollback plan (reply and sticky comment) and its result, rendered from data.
import { DIGEST_SHOWN } from '../confirm/digest.js';
import { renderMarkdown, type Block, type Inline } from './markdown.js';

export interface RollbackPlanView {
  application: string;
  environment: string;
  target: string;
  /** Per server, in rollout order, the release `current` points to now. */
  expected: Record<string, string>;
  digest: string;
  expiresAt: string;
  prefix: string;
  /** What the target's ledger entry says it was (older entries say less). */
  was?: { release?: string; pullRequest?: number; at?: string | null };
}

/** "`<id>` is release `1.4.1` deployed from #3 at 2026-12-01T10:00:00Z." */
function wasBlocks(v: RollbackPlanView): Block[] {
  const was = v.was;
  if (!was || (was.release === undefined && was.pullRequest === undefined)) return [];
  const text: Inline[] = [
    { code: v.target },
    ' is ',
    ...(was.release === undefined ? ['the release'] : ['release ', { code: was.release }]),
    was.pullRequest === undefined ? ' deployed' : ` deployed from #${was.pullRequest}`,
    was.at ? ` at ${was.at}.` : '.',
  ];
  return [{ kind: 'paragraph', text }];
}

/** "switch `current` to `<id>` on web-1, web-2; run activate and health check" */
export function rollbackPlanInline(v: Pick<RollbackPlanView, 'target' | 'expected'>): Inline[] {
  return [
    'switch ',
    { code: 'current' },
    ' to ',
    { code: v.target },
    ` on ${Object.keys(v.expected).join(', ')}; run activate and health check`,
  ];
}

export function rollbackConfirmCommand(v: Pick<RollbackPlanView, 'prefix' | 'digest'>): string {
  return `${v.prefix}confirm ${v.digest.slice(0, DIGEST_SHOWN)}`;
}

/** The sticky comment's next step while a rollback plan waits for its /confirm. */
export function rollbackNextStep(v: RollbackPlanView): Inline[] {
  return [
    'a rollback is offered: ',
    ...rollbackPlanInline(v),
    '. To roll back, someone in ',
    { code: 'rollback.allowed' },
    ' comments ',
    { code: rollbackConfirmCommand(v) },
    ` (before ${v.expiresAt}).`,
  ];
}

export function renderRollbackPlan(v: RollbackPlanView): string {
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 3,
      text: `↩️ Roll back ${v.application} in ${v.environment} to ${v.target}?`,
    },
    { kind: 'paragraph', text: ['The plan: ', ...rollbackPlanInline(v), '.'] },
    ...wasBlocks(v),
    {
      kind: 'table',
      headers: ['Server', 'Current now', 'After the rollback'],
      rows: Object.entries(v.expected).map(([server, current]) => [
        [server],
        [{ code: current }],
        [{ code: v.target }],
      ]),
    },
    {
      kind: 'paragraph',
      text: [
        'It is atomic: a server that fails its health check is switched back, and so is every server already switched. Nothing is uploaded. Digest ',
        { code: v.digest },
        '.',
      ],
    },
    {
      kind: 'paragraph',
      text: ['To roll back, someone in ', { code: 'rollback.allowed' }, ' comments exactly:'],
    },
    { kind: 'code', lang: '', text: rollbackConfirmCommand(v) },
    {
      kind: 'paragraph',
      text: [
        `This plan expires at ${v.expiresAt}. A deployment or another rollback in between, a new push or a change of the configuration voids it.`,
      ],
    },
  ];
  return renderMarkdown(blocks);
}

/** One server's part of the rollback (src/deploy/switch-release.ts reports it). */
export interface RollbackServerRow {
  server: string;
  ok: boolean;
  /** The release it was on before (the plan's expected current). */
  from?: string;
  switched: boolean;
  switchedBack: boolean;
  health: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
}

export interface RollbackResultView {
  ok: boolean;
  application: string;
  environment: string;
  target: string;
  rows: RollbackServerRow[];
  /** Servers of later batches that were never touched. */
  untouched: string[];
  reason?: string;
  runUrl: string;
}

function outcome(row: RollbackServerRow, target: string): Inline[] {
  if (row.ok) return ['✅ on ', { code: target }];
  if (row.switchedBack) return ['↩️ switched back to ', { code: row.from ?? 'its release' }];
  if (row.switched) return ['❌ failed, left on ', { code: target }];
  return ['⏭️ not switched'];
}

export function renderRollbackResult(v: RollbackResultView): string {
  const rows: Inline[][][] = v.rows.map((r) => [
    [r.server],
    outcome(r, v.target),
    [r.from ? { code: r.from } : '—'],
    [r.health],
    [r.durationMs === undefined ? '—' : `${(r.durationMs / 1000).toFixed(1)} s`],
    [r.error ?? ''],
  ]);
  for (const server of v.untouched)
    rows.push([[server], ['⏭️ not started'], ['—'], ['—'], ['—'], ['an earlier batch failed']]);
  const done = v.rows.filter((r) => r.ok).length;
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 3,
      text: v.ok
        ? `↩️ Rolled back ${v.application} in ${v.environment} to ${v.target}`
        : `❌ Rollback of ${v.application} in ${v.environment} to ${v.target} failed`,
    },
    {
      kind: 'paragraph',
      text: v.ok
        ? [`${done} of ${v.rows.length} servers on `, { code: v.target }, '.']
        : [
            v.rows.some((r) => r.switched && !r.switchedBack)
              ? 'Some servers could not be switched back; see the table'
              : 'Every server is on the release it had before',
            ...(v.reason ? [`: ${v.reason}`] : ['.']),
          ],
    },
    {
      kind: 'table',
      headers: ['Server', 'Result', 'Was on', 'Health', 'Time', 'Error'],
      rows,
    },
    {
      kind: 'paragraph',
      text: [{ link: 'Run log', href: v.runUrl }, ' (grouped per server, with timings).'],
    },
  ];
  return renderMarkdown(blocks);
}
