// What a gate run reports, as data: the status comment (and its hidden data), the validate status
// when the request fails, and the run's outcome. One GateReport per way the gate ends; one
// publishGateReport writes it, so each ending differs only in what it says.
import { VALIDATE_CONTEXT } from '../domain/status-contexts.js';
import type { ApprovalState } from '../approval/evaluate-approvals.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import type { CommitStatus, IssueComment, PullRequestInfo } from '../github/port.js';
import type { Problem } from '../problem.js';
import type { Inline } from '../report/markdown.js';
import type { StatusView } from '../report/status-view.js';
import type { DeployRequest } from '../request/types.js';
import type { StickyData } from '../state/sticky-comment.js';
import type { RefusedReviewers } from './approval-step.js';
import { lineUrl, publishStatus } from './publish-status.js';

/**
 * The gate's part of the sticky comment's hidden data: per status context, the status this gate
 * last set (`<head sha> <state> <description>`). A review run, which cannot change the request,
 * skips writing a status it already wrote on this head (one API call each).
 */
export interface GateData extends StickyData {
  statuses?: Record<string, string>;
}

export interface GateReport {
  view: StatusView;
  data: GateData;
  /** Set after the comment (a failed validation); a passing gate sets its statuses as it goes. */
  status?: CommitStatus;
  /** The run's outcome; its summary is the comment written. */
  outcome: Omit<Outcome, 'summary'>;
}

/** Writes the status comment, then the status; the outcome carries the comment as summary. */
export async function publishGateReport(
  ctx: RunContext,
  pull: PullRequestInfo,
  sticky: IssueComment | undefined,
  report: GateReport,
): Promise<Outcome> {
  const summary = await publishStatus(ctx, pull.number, sticky, report.view, report.data);
  if (report.status) await ctx.github.setStatus(pull.headSha, report.status);
  return { ...report.outcome, summary };
}

function withoutStatusMark(data: GateData, context: string): GateData {
  const statuses = { ...data.statuses };
  delete statuses[context];
  return { ...data, statuses };
}

/**
 * A refused request. It has no hand-over pending: the marker goes, so that a PR fixed later (e.g.
 * retargeted back to the default branch) is handed over again.
 */
export function refusalReport(
  ctx: RunContext,
  pull: PullRequestInfo,
  data: GateData,
  refusal: { reason: string; file?: string; short?: string },
): GateReport {
  return {
    view: {
      phase: 'refused',
      refusal: refusal.reason,
      requestFile: refusal.file,
      nextStep: ['close this pull request or change it as said above.'],
      headSha: pull.headSha,
    },
    data: withoutStatusMark({ ...data, handedOverSha: undefined }, VALIDATE_CONTEXT),
    status: {
      context: VALIDATE_CONTEXT,
      state: 'failure',
      description: refusal.short ?? 'Refused: see the deploy-request comment',
      targetUrl: ctx.settings.runUrl,
    },
    outcome: { phase: 'refused', requestFile: refusal.file, message: refusal.reason },
  };
}

/** A request file with problems: each on its line in the comment, their count in the status. */
export function invalidReport(
  ctx: RunContext,
  pull: PullRequestInfo,
  data: GateData,
  invalid: { file: string; problems: Problem[] },
): GateReport {
  const { file, problems } = invalid;
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return {
    view: {
      phase: 'invalid',
      requestFile: file,
      problems,
      lineUrl: lineUrl(ctx, pull.headSha, file),
      nextStep: ['fix the problems above and push; this comment updates itself.'],
      headSha: pull.headSha,
    },
    data: withoutStatusMark(data, VALIDATE_CONTEXT),
    status: {
      context: VALIDATE_CONTEXT,
      state: 'failure',
      description: `${count} in ${file}`,
      targetUrl: ctx.settings.runUrl,
    },
    outcome: {
      phase: 'invalid',
      requestFile: file,
      message: `${file} is invalid: ${count} (see the annotations).`,
    },
  };
}

/** A valid request: its approval stages, and whether it was handed over to the trusted run. */
export function approvalReport(o: {
  pull: PullRequestInfo;
  file: string;
  request: DeployRequest;
  approval: ApprovalState;
  handedOver: boolean;
  notes: Inline[][];
  data: GateData;
}): GateReport {
  const { pull, approval } = o;
  const ready = approval.approved && o.handedOver;
  const phase = ready ? 'approved' : 'awaiting-approval';
  return {
    view: {
      phase,
      requestFile: o.file,
      request: o.request,
      approval,
      notes: o.notes,
      nextStep: ready ? approvedNextStep(pull) : waitingNextStep(approval, pull.draft),
      headSha: pull.headSha,
    },
    data: o.data,
    outcome: {
      phase,
      requestFile: o.file,
      environment: o.request.environment,
      message: ready
        ? 'All approval stages are met; handed over to the trusted run.'
        : approval.approved
          ? 'Approved, but the pull request is a draft: the hand-over waits until it is ready for review.'
          : 'Waiting for approvals.',
    },
  };
}

/** Who GitHub would not ask for a review, and how to fix it (their approvals count anyway). */
export function refusedReviewersNote(
  refused: RefusedReviewers,
  configPath: string,
  defaultBranch: string,
): string {
  const names = [...refused.users, ...refused.teams.map((t) => `team ${t}`)];
  return `GitHub refused to request a review from ${names.map((n) => `\`${n}\``).join(', ')}: GitHub asks only collaborators of this repository. Add them under Settings → Collaborators and teams (read access is enough), or fix the approval stages in \`${configPath}\` on \`${defaultBranch}\`. Their approvals still count when they review.`;
}

function approvedNextStep(pull: PullRequestInfo): Inline[] {
  return [
    'every stage approved this commit. A trusted run now provisions and checks the servers, then asks ',
    { mention: pull.author },
    ' to confirm.',
  ];
}

function waitingNextStep(state: ApprovalState, draft: boolean): Inline[] {
  if (draft)
    return [
      'mark the pull request ready for review; reviews are requested (or the approved request handed over) then.',
    ];
  if (state.blockedBy.length > 0) {
    return ['changes were requested; address them and ask the reviewer to approve again.'];
  }
  const stage = state.stages[state.currentStage ?? 0]!;
  if (stage.unreachable) {
    return [
      `stage ${stage.name} can never be met (${stage.unreachable}); the approval stages in the trusted configuration on the default branch need changing.`,
    ];
  }
  return [
    `stage ${stage.name} needs ${stage.missing} more approval${stage.missing === 1 ? '' : 's'} on this commit.`,
  ];
}
