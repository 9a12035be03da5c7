// Gate runs (pull_request, pull_request_review): no SSH key here. Validate the request, track
// approvals stage by stage, and hand over to the trusted workflow_dispatch run once approved.
import { VALIDATE_CONTEXT } from '../domain/status-contexts.js';
import type { RunContext } from '../edge/run-context.js';
import type { Outcome } from '../edge/outcome.js';
import { SetupError } from '../edge/settings.js';
import {
  GitHubAccessError,
  type CommitStatus,
  type IssueComment,
  type PullRequestInfo,
} from '../github/port.js';
import { prose, type Inline } from '../report/markdown.js';
import { findSticky, readStickyData } from '../state/sticky-comment.js';
import { approvalStatus, evaluateAtHead, requestCurrentStage } from '../steps/approval-step.js';
import {
  approvalReport,
  invalidReport,
  publishGateReport,
  refusalReport,
  refusedReviewersNote,
  type GateData,
} from '../steps/gate-report.js';
import { resolveRequest, type Resolution } from '../steps/resolve-request.js';
import { claimedEmergencyApproved, emergencyHandOverNote } from '../steps/emergency-gate.js';

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

  if (resolution.kind === 'refused') return reportRefusal(ctx, pull, sticky, data, resolution);
  if (resolution.kind === 'invalid') {
    for (const problem of resolution.problems) ctx.log.annotate(problem);
    return publishGateReport(ctx, pull, sticky, invalidReport(ctx, pull, data, resolution));
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
  const approval = await evaluateAtHead(github, pull, config, environment);
  const requested = await requestCurrentStage(
    github,
    pull,
    environment,
    approval,
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
  await setStatusOnce(approvalStatus(approval, settings.runUrl));

  let handedOver = data.handedOverSha === pull.headSha;
  // A draft is not ready to ship: the hand-over waits for ready_for_review.
  const ready = !handedOver && pull.state === 'open' && !pull.draft;
  const emergency =
    ready &&
    !approval.approved &&
    (await claimedEmergencyApproved(github, pull, config, environment, request.environment));
  if (ready && (approval.approved || emergency)) {
    await handOver(ctx, pull, defaultBranch);
    handedOver = true;
    if (emergency) notes.push(emergencyHandOverNote(pull.author));
  }
  return publishGateReport(
    ctx,
    pull,
    sticky,
    approvalReport({
      pull,
      file,
      request,
      approval,
      handedOver,
      notes,
      data: {
        ...data,
        handedOverSha: handedOver ? pull.headSha : data.handedOverSha,
        statuses: marks,
      },
    }),
  );
}

/** A refusal is reported on the PR when the token may write there; the log has it anyway. */
async function reportRefusal(
  ctx: RunContext,
  pull: PullRequestInfo,
  sticky: IssueComment | undefined,
  data: GateData,
  refusal: Extract<Resolution, { kind: 'refused' }>,
): Promise<Outcome> {
  ctx.log.warning(refusal.reason);
  const report = refusalReport(ctx, pull, data, refusal);
  try {
    return await publishGateReport(ctx, pull, sticky, report);
  } catch (error) {
    // Fork runs get a read-only token: the log and the job summary still explain.
    if (!(error instanceof GitHubAccessError)) throw error;
    ctx.log.warning(`Could not comment on the pull request: ${error.message}`);
    return report.outcome;
  }
}

/** The gate runs on refs/pull/N/merge; the trusted run must use the default branch's workflow. */
async function handOver(ctx: RunContext, pull: PullRequestInfo, defaultBranch: string) {
  const { workflowFile } = ctx.settings;
  if (!workflowFile) {
    throw new SetupError(
      'GITHUB_WORKFLOW_REF is not set, so the workflow to hand over to is unknown; run deploy-request from a workflow file.',
    );
  }
  await ctx.github.dispatchWorkflow(workflowFile, defaultBranch, {
    'pull-request': String(pull.number),
  });
  ctx.log.info(`All stages approved: handed over to ${workflowFile} on ${defaultBranch}.`);
}
