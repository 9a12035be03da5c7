import type { ApprovalState, StageState } from './evaluate-approvals.js';

/** GitHub refuses a commit status description longer than this (422). */
export const STATUS_DESCRIPTION_LIMIT = 140;

const mention = (users: readonly string[]): string => users.map((user) => `@${user}`).join(', ');

/**
 * One line per stage for the sticky comment and the job summary, e.g.
 * "ops: 1 of 2 — approved by @carol; stale: @dave (abc1234)".
 */
export function describeStage(stage: StageState): string {
  const count = Math.min(stage.approvedBy.length, stage.required);
  const parts: string[] = [];
  if (stage.waitingFor !== undefined) parts.push(`waiting for ${stage.waitingFor}`);
  if (stage.changesRequestedBy.length > 0) {
    parts.push(`changes requested by ${mention(stage.changesRequestedBy)}`);
  }
  if (stage.approvedBy.length > 0) parts.push(`approved by ${mention(stage.approvedBy)}`);
  if (stage.stale.length > 0) {
    const stale = stage.stale.map((s) => `@${s.user} (${s.commitId.slice(0, 7)})`);
    parts.push(`stale: ${stale.join(', ')}`);
  }
  if (stage.unreachable !== undefined) parts.push(`can never be met: ${stage.unreachable}`);
  if (parts.length === 0) parts.push('awaiting approval');
  return `${stage.name}: ${count} of ${stage.required} — ${parts.join('; ')}`;
}

/** The `deploy-request/approval` commit status description, at most 140 characters. */
export function approvalStatusDescription(state: ApprovalState): string {
  return truncate(describeState(state), STATUS_DESCRIPTION_LIMIT);
}

function describeState(state: ApprovalState): string {
  const total = state.stages.length;
  if (state.approved) {
    return total === 0 ? 'No approval required' : `${total} of ${total} stages approved`;
  }
  if (state.blockedBy.length > 0) return `Changes requested by ${mention(state.blockedBy)}`;
  const stage = state.stages[state.currentStage!]!;
  if (stage.unreachable !== undefined)
    return `${stage.name} can never be met: ${stage.unreachable}`;
  const count = stage.approvedBy.length;
  const approvals = stage.required === 1 ? 'approval' : 'approvals';
  const others = state.stages.filter((s) => s.status === 'pending' && s !== stage).length;
  const more = others > 0 ? ` (+${others} more stage${others === 1 ? '' : 's'})` : '';
  return `Waiting for ${stage.name}: ${count} of ${stage.required} ${approvals}${more}`;
}

/** Cuts at a code point boundary (an emoji in a stage name is never split); ASCII ellipsis. */
function truncate(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 3).join('')}...`;
}
