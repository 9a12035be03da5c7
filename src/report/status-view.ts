// The sticky status comment, as data → blocks. What a reviewer sees at a glance: phase, the
// request, problems on their lines, approval stages, the next step.
import type { Phase } from '../domain/phase.js';
import type { ApprovalState, StageState } from '../approval/evaluate-approvals.js';
import type { ServerEnvironmentResult } from '../environment/types.js';
import type { Problem } from '../problem.js';
import type { DeployRequest } from '../request/types.js';
import { prose, renderMarkdown, type Block, type Inline } from './markdown.js';
import { requiredChecksBlocks, type RequiredChecksView } from './required-checks-view.js';

export interface StatusView {
  phase: Phase;
  requestFile?: string;
  /** Link to a line of the request file at the head commit. */
  lineUrl?: (line: number) => string;
  request?: DeployRequest;
  problems?: Problem[];
  /** Why the request was refused or ignored, in one or two sentences. */
  refusal?: string;
  approval?: ApprovalState;
  /** Things people should fix that do not stop the request (e.g. a reviewer GitHub won't ask). */
  notes?: Inline[][];
  environment?: ServerEnvironmentResult[];
  /** The environment's deployment-window state, when it has `windows` (window-view.ts). */
  window?: Inline[];
  /** require_checks: the named checks and their states on the commit read. */
  requiredChecks?: RequiredChecksView;
  nextStep: Inline[];
  headSha?: string;
}

const PHASE_TITLES: Record<Phase, string> = {
  ignored: 'Not a deploy request',
  invalid: 'Deploy request: invalid',
  'awaiting-approval': 'Deploy request: awaiting approval',
  approved: 'Deploy request: approved, checking the servers',
  'checks-failed': 'Deploy request: environment checks failed',
  'awaiting-confirmation': 'Deploy request: awaiting confirmation',
  refused: 'Deploy request: refused',
  deployed: 'Deploy request: deployed',
  'deploy-failed': 'Deploy request: deployment failed',
  cancelled: 'Deploy request: cancelled',
};

const PHASE_ICONS: Record<Phase, string> = {
  ignored: '⚪',
  invalid: '❌',
  'awaiting-approval': '⏳',
  approved: '✅',
  'checks-failed': '❌',
  'awaiting-confirmation': '🟡',
  refused: '⛔',
  deployed: '🚀',
  'deploy-failed': '❌',
  cancelled: '⚪',
};

export function renderStatusComment(view: StatusView): string {
  // Red CI stops a request before any server is checked: say which checks failed.
  const title =
    view.requiredChecks && !view.requiredChecks.passed
      ? 'Deploy request: required checks have not passed'
      : PHASE_TITLES[view.phase];
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: `${PHASE_ICONS[view.phase]} ${title}` },
  ];
  if (view.refusal) blocks.push({ kind: 'paragraph', text: prose(view.refusal) });
  if (view.request) blocks.push(...requestBlocks(view.request, view.requestFile));
  if (view.problems?.length)
    blocks.push(...problemBlocks(view.problems, view.requestFile, view.lineUrl));
  if (view.approval) blocks.push(...approvalBlocks(view.approval));
  for (const note of view.notes ?? []) {
    blocks.push({ kind: 'paragraph', text: [{ strong: '⚠️ Note:' }, ' ', ...note] });
  }
  if (view.window)
    blocks.push({ kind: 'paragraph', text: [{ strong: '🕘 Window:' }, ' ', ...view.window] });
  if (view.requiredChecks) blocks.push(...requiredChecksBlocks(view.requiredChecks));
  if (view.environment) blocks.push(...environmentBlocks(view.environment));
  blocks.push({ kind: 'paragraph', text: [{ strong: 'Next step:' }, ' ', ...view.nextStep] });
  if (view.headSha) {
    blocks.push({
      kind: 'paragraph',
      text: [`Head commit `, { code: view.headSha.slice(0, 12) }, '.'],
    });
  }
  return renderMarkdown(blocks);
}

function requestBlocks(request: DeployRequest, file: string | undefined): Block[] {
  const artifact = request.artifact;
  const source =
    'url' in artifact
      ? artifact.url
      : 'release_asset' in artifact
        ? `release ${artifact.release_asset.tag} asset ${artifact.release_asset.name}`
        : artifact.path;
  const rows: Inline[][][] = [
    [['Request'], [{ code: file ?? '' }]],
    [['Application'], [{ code: request.application }]],
    [['Environment'], [{ code: request.environment }]],
    [['Release'], [{ code: request.release }]],
    [['Artifact'], [{ code: source }, ' sha256 ', { code: artifact.sha256 }]],
    [
      ['Servers'],
      [request.servers?.length ? request.servers.join(', ') : 'all of the environment'],
    ],
    [['Reason'], [request.reason]],
  ];
  return [{ kind: 'table', headers: ['', ''], rows }];
}

function problemBlocks(
  problems: Problem[],
  file: string | undefined,
  lineUrl: ((line: number) => string) | undefined,
): Block[] {
  const rows = problems.map((p): Inline[][] => [
    [
      lineUrl && p.file === file
        ? { link: `${p.file}:${p.line}:${p.column}`, href: lineUrl(p.line) }
        : { code: `${p.file}:${p.line}:${p.column}` },
    ],
    prose(p.message),
  ]);
  return [
    {
      kind: 'paragraph',
      text: [`${problems.length} problem${problems.length === 1 ? '' : 's'} to fix:`],
    },
    { kind: 'table', headers: ['Where', 'Problem'], rows },
  ];
}

const STAGE_STATUS: Record<StageState['status'], string> = {
  met: '✅ approved',
  pending: '⏳ waiting for approvals',
  waiting: '⏸️ waiting for',
  blocked: '⛔ changes requested',
};

/** Real mentions: only for people who are asked to act now or whose approval counts. */
function people(logins: string[]): Inline[] {
  if (logins.length === 0) return ['—'];
  return logins.flatMap((login, i): Inline[] =>
    i === 0 ? [{ mention: login }] : [', ', { mention: login }],
  );
}

function stageStatus(stage: StageState): string {
  const status = STAGE_STATUS[stage.status];
  return stage.status === 'waiting'
    ? `${status} ${stage.waitingFor ?? 'an earlier stage'}`
    : status;
}

/** Who the stage still needs. A stage waiting for an earlier one names its people without
 * mentioning them: they are not asked yet, so the comment must not ping them. */
function stillNeeded(stage: StageState): Inline[] {
  if (stage.unreachable) return [stage.unreachable];
  if (stage.status === 'met') return ['—'];
  if (stage.status === 'waiting') {
    const after = `after ${stage.waitingFor ?? 'the earlier stages'}`;
    if (stage.missing === 0) return [`none; counts ${after}`];
    return [`${stage.missing} more from: ${stage.eligible.join(', ') || '—'} (${after})`];
  }
  if (stage.missing === 0) {
    // Enough approvals; only a "changes requested" holds the stage.
    return [...people(stage.changesRequestedBy), ' to approve or be dismissed'];
  }
  return [`${stage.missing} more from: `, ...people(stage.eligible)];
}

function approvalBlocks(state: ApprovalState): Block[] {
  const rows = state.stages.map((stage, i): Inline[][] => [
    [`${i + 1}. ${stage.name}`],
    // Approvals beyond what a stage needs are listed, not counted: "2 of 2", as in the status.
    [`${Math.min(stage.approvedBy.length, stage.required)} of ${stage.required}`],
    [stageStatus(stage)],
    people(stage.approvedBy),
    stillNeeded(stage),
  ]);
  const blocks: Block[] = [
    { kind: 'heading', level: 4, text: 'Approvals' },
    {
      kind: 'table',
      headers: ['Stage', 'Approvals', 'Status', 'Approved by', 'Still needed'],
      rows,
    },
  ];
  const notes: Inline[][] = [];
  for (const stage of state.stages) {
    for (const s of stage.stale) {
      notes.push([
        { mention: s.user },
        ' approved an older commit ',
        { code: s.commitId.slice(0, 7) },
        ': stale, please review again.',
      ]);
    }
    if (stage.changesRequestedBy.length) {
      notes.push([
        ...people(stage.changesRequestedBy),
        ' requested changes: blocks the request until they approve or the review is dismissed.',
      ]);
    }
  }
  notes.push(...ignoredNotes(state));
  if (notes.length) blocks.push({ kind: 'list', items: notes });
  return blocks;
}

/**
 * Why an approval someone sees on the PR is not in the tally. Names are shown as code, not
 * mentions: nobody is pinged for an approval that does not count. Stale approvals have their
 * own note above; superseded ones are replaced by the person's later verdict.
 */
function ignoredNotes(state: ApprovalState): Inline[][] {
  const notes: Inline[][] = [];
  const seen = new Set<string>();
  for (const entry of state.ignored) {
    const key = `${entry.user.toLowerCase()} ${entry.reason} ${entry.stage ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const who: Inline = { code: entry.user };
    switch (entry.reason) {
      case 'author':
        notes.push([who, ' approved, but the author of the request cannot approve it.']);
        break;
      case 'bot':
        notes.push([who, ' approved, but approvals from bots never count.']);
        break;
      case 'not-a-reviewer':
        notes.push([who, ' approved, but is not a reviewer of any stage.']);
        break;
      case 'already-counted': {
        const counted = state.stages.find((s) =>
          s.approvedBy.some((u) => u.toLowerCase() === entry.user.toLowerCase()),
        );
        notes.push([
          who,
          ` counts for ${counted?.name ?? 'another stage'}; a person counts once, so not for ${entry.stage ?? 'this stage'} too.`,
        ]);
        break;
      }
      case 'stale':
      case 'superseded':
        break;
    }
  }
  return notes;
}

/** Per-server table: one row per check (failures first), plus provisioning changes and errors. */
export function environmentBlocks(results: ServerEnvironmentResult[]): Block[] {
  const rows: Inline[][][] = [];
  for (const result of results) {
    if (result.error)
      rows.push([[result.server], ['connection'], ['reachable'], [result.error], ['❌']]);
    for (const item of result.provision.filter((p) => p.status !== 'unchanged')) {
      rows.push([
        [result.server],
        [`provision ${item.kind}`],
        [{ code: item.target }],
        [item.status + (item.detail ? `: ${item.detail}` : '')],
        [item.status === 'failed' ? '❌' : '✅'],
      ]);
    }
    const checks = [...result.checks].sort((a, b) => Number(a.passed) - Number(b.passed));
    for (const check of checks) {
      rows.push([
        [result.server],
        [check.name],
        [check.info ? '—' : check.expected],
        [check.actual],
        [check.info ? 'ℹ️' : check.passed ? '✅' : '❌'],
      ]);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return [
    { kind: 'heading', level: 4, text: `Servers: ${passed} of ${results.length} ready` },
    { kind: 'table', headers: ['Server', 'Check', 'Expected', 'Actual', ''], rows },
  ];
}
