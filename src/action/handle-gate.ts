// Gate runs (pull_request, pull_request_review): no SSH key here. Validate the request, track
// approvals stage by stage, and hand over to the trusted workflow_dispatch run once approved.
import type { ApprovalState } from '../approval/evaluate-approvals.js';
import {
  GitHubAccessError,
  type CommitStatus,
  type IssueComment,
  type PullRequestInfo,
} from '../github/port.js';
import { prose, type Inline } from '../report/markdown.js';
import { findSticky, readStickyData, type StickyData } from '../state/sticky-comment.js';
import {
  approvalStatus,
  evaluateAtHead,
  requestCurrentStage,
  type RefusedReviewers,
} from '../steps/approval-step.js';
import type { Outcome } from '../edge/outcome.js';
import { lineUrl, publishStatus } from '../steps/publish-status.js';
import { resolveRequest } from '../steps/resolve-request.js';
import type { RunContext } from '../edge/run-context.js';
import { SetupError } from '../edge/settings.js';

export const VALIDATE_CONTEXT = 'deploy-request/validate';

/**
 * The gate's part of the sticky comment's hidden data: per status context, the status this gate
 * last set (`<head sha> <state> <description>`). A review run, which cannot change the request,
 * skips writing a status it already wrote on this head (one API call each).
 */
interface GateData extends StickyData {
  statuses?: Record<string, string>;
}

function withoutStatusMark(data: GateData, context: string): GateData {
  const statuses = { ...data.statuses };
  delete statuses[context];
  return { ...data, statuses };
}

/**
 * The sticky comment and the validate status of a refused request. A refused request has no
 * hand-over pending: the marker goes, so that a PR fixed later (e.g. retargeted back to the
 * default branch) is handed over again.
 */
export async function publishRefusal(
  ctx: RunContext,
  pull: PullRequestInfo,
  sticky: IssueComment | undefined,
  data: GateData,
  refusal: { reason: string; file?: string; short?: string },
): Promise<string> {
  const summary = await publishStatus(
    ctx,
    pull.number,
    sticky,
    {
      phase: 'refused',
      refusal: refusal.reason,
      requestFile: refusal.file,
      nextStep: ['close this pull request or change it as said above.'],
      headSha: pull.headSha,
    },
    withoutStatusMark({ ...data, handedOverSha: undefined }, VALIDATE_CONTEXT),
  );
  await ctx.github.setStatus(pull.headSha, {
    context: VALIDATE_CONTEXT,
    state: 'failure',
    description: refusal.short ?? 'Refused: see the deploy-request comment',
    targetUrl: ctx.settings.runUrl,
  });
  return summary;
}

export async function handleGate(
  ctx: RunContext,
  pull: PullRequestInfo,
  defaultBranch: string,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const resolution = await resolveRequest(
    github,
    pull,
    settings.repo,
    settings.configPath,
    defaultBranch,
  );
  if (resolution.kind === 'none') {
    return { phase: 'ignored', message: 'This pull request adds no deploy request file.' };
  }
  const sticky = findSticky(await github.listComments(pull.number));
  const data: GateData = readStickyData(sticky);

  if (resolution.kind === 'refused') {
    ctx.log.warning(resolution.reason);
    try {
      const summary = await publishRefusal(ctx, pull, sticky, data, resolution);
      return {
        phase: 'refused',
        requestFile: resolution.file,
        message: resolution.reason,
        summary,
      };
    } catch (error) {
      // Fork runs get a read-only token: the log and the job summary still explain.
      if (!(error instanceof GitHubAccessError)) throw error;
      ctx.log.warning(`Could not comment on the pull request: ${error.message}`);
      return { phase: 'refused', requestFile: resolution.file, message: resolution.reason };
    }
  }

  if (resolution.kind === 'invalid') {
    for (const problem of resolution.problems) ctx.log.annotate(problem);
    const summary = await publishStatus(
      ctx,
      pull.number,
      sticky,
      {
        phase: 'invalid',
        requestFile: resolution.file,
        problems: resolution.problems,
        lineUrl: lineUrl(ctx, pull.headSha, resolution.file),
        nextStep: ['fix the problems above and push; this comment updates itself.'],
        headSha: pull.headSha,
      },
      withoutStatusMark(data, VALIDATE_CONTEXT),
    );
    const count = resolution.problems.length;
    await github.setStatus(pull.headSha, {
      context: VALIDATE_CONTEXT,
      state: 'failure',
      description: `${count} problem${count === 1 ? '' : 's'} in ${resolution.file}`,
      targetUrl: settings.runUrl,
    });
    return {
      phase: 'invalid',
      requestFile: resolution.file,
      message: `${resolution.file} is invalid: ${count} problem${count === 1 ? '' : 's'} (see the annotations).`,
      summary,
    };
  }

  const { request, config, environment, file } = resolution;
  const marks = { ...data.statuses };
  // Only review runs skip: a pull_request run (a push, a re-run) always writes its statuses.
  const reviewRun = settings.eventName === 'pull_request_review';
  const setStatusOnce = async (status: CommitStatus): Promise<void> => {
    const mark = `${pull.headSha} ${status.state} ${status.description}`;
    if (reviewRun && marks[status.context] === mark) return;
    await github.setStatus(pull.headSha, status);
    marks[status.context] = mark;
  };
  await setStatusOnce({
    context: VALIDATE_CONTEXT,
    state: 'success',
    description: `${request.application} ${request.release} → ${request.environment}`,
    targetUrl: settings.runUrl,
  });
  const state = await evaluateAtHead(github, pull, config, environment);
  const requested = await requestCurrentStage(
    github,
    pull,
    environment,
    state,
    settings.repo.owner,
  );
  const asked = [...requested.users, ...requested.teams.map((t) => `team ${t}`)].join(', ');
  if (asked) ctx.log.info(`Requested reviews from ${asked}.`);
  const notes: Inline[][] = [];
  if (requested.refused !== undefined) {
    const note = refusedReviewersNote(requested.refused, settings.configPath, defaultBranch);
    ctx.log.warning(`${note} (GitHub: ${requested.refused.message})`);
    notes.push(prose(note));
  }
  await setStatusOnce(approvalStatus(state, settings.runUrl));

  let handedOver = data.handedOverSha === pull.headSha;
  // A draft is not ready to ship: the hand-over waits for ready_for_review.
  if (state.approved && !handedOver && pull.state === 'open' && !pull.draft) {
    if (!settings.workflowFile) {
      throw new SetupError(
        'GITHUB_WORKFLOW_REF is not set, so the workflow to hand over to is unknown; run deploy-request from a workflow file.',
      );
    }
    // The gate runs on refs/pull/N/merge; the trusted run must use the default branch's workflow.
    await github.dispatchWorkflow(settings.workflowFile, defaultBranch, {
      'pull-request': String(pull.number),
    });
    ctx.log.info(
      `All stages approved: handed over to ${settings.workflowFile} on ${defaultBranch}.`,
    );
    handedOver = true;
  }
  const ready = state.approved && handedOver;
  const phase = ready ? 'approved' : 'awaiting-approval';
  const next: GateData = {
    ...data,
    handedOverSha: handedOver ? pull.headSha : data.handedOverSha,
    statuses: marks,
  };
  const summary = await publishStatus(
    ctx,
    pull.number,
    sticky,
    {
      phase,
      requestFile: file,
      request,
      approval: state,
      notes,
      nextStep: ready ? approvedNextStep(pull) : waitingNextStep(state, pull.draft),
      headSha: pull.headSha,
    },
    next,
  );
  return {
    phase,
    requestFile: file,
    environment: request.environment,
    message: ready
      ? 'All approval stages are met; handed over to the trusted run.'
      : state.approved
        ? 'Approved, but the pull request is a draft: the hand-over waits until it is ready for review.'
        : 'Waiting for approvals.',
    summary,
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
