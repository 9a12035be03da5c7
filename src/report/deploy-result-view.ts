// The deployment result comment and the per-server table (also used in the sticky comment).
import type { RolloutResult } from '../deploy/types.js';
import { renderMarkdown, type Block, type Inline } from './markdown.js';

export interface DeployResultView {
  ok: boolean;
  application: string;
  release: string;
  environment: string;
  releaseId: string;
  rollout: RolloutResult;
  runUrl: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function deployTableBlocks(rollout: RolloutResult): Block[] {
  const rows: Inline[][][] = rollout.results.map((r) => {
    const back = rollout.rollbacks.find((b) => b.server === r.server);
    return [
      [r.server],
      [r.ok ? '✅ deployed' : '❌ failed'],
      [r.releaseId ? { code: r.releaseId } : '—'],
      [r.health],
      [r.rolledBack || back?.rolledBack ? `yes → ${r.previousRelease ?? 'previous'}` : 'no'],
      [seconds(r.durationMs)],
      [r.error ?? ''],
    ];
  });
  for (const server of rollout.untouched)
    rows.push([
      [server],
      ['⏭️ not started'],
      ['—'],
      ['—'],
      ['no'],
      ['—'],
      ['an earlier batch failed'],
    ]);
  return [
    {
      kind: 'table',
      headers: ['Server', 'Result', 'Release', 'Health', 'Rolled back', 'Time', 'Error'],
      rows,
    },
  ];
}

export function renderDeployResult(view: DeployResultView): string {
  const deployed = view.rollout.results.filter((r) => r.ok).length;
  const total = view.rollout.results.length + view.rollout.untouched.length;
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 3,
      text: view.ok
        ? `🚀 Deployed ${view.application} ${view.release} to ${view.environment}`
        : `❌ Deployment of ${view.application} ${view.release} to ${view.environment} failed`,
    },
    {
      kind: 'paragraph',
      text: [
        `${deployed} of ${total} servers on release `,
        { code: view.releaseId },
        '.',
        ...(view.rollout.reason ? [` ${view.rollout.reason}`] : []),
      ],
    },
    ...deployTableBlocks(view.rollout),
    {
      kind: 'paragraph',
      text: [{ link: 'Run log', href: view.runUrl }, ' (grouped per server, with timings).'],
    },
  ];
  return renderMarkdown(blocks);
}
