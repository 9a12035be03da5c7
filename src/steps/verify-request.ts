// The start of every trusted run (workflow_dispatch, issue_comment): these hold the SSH key, so
// nothing from the event is trusted beyond the PR number; everything is re-read from GitHub.
import type { ApprovalState } from '../approval/evaluate-approvals.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import type { IssueComment, PullRequestInfo } from '../github/port.js';
import { approvalFor, type EmergencySwitch } from '../policy/emergency-policy.js';
import type { DeployRequest } from '../request/types.js';
import { findSticky, readStickyData, type StickyData } from '../state/sticky-comment.js';
import { evaluateAtHead } from './approval-step.js';
import { publishGateReport, refusalReport } from './gate-report.js';
import { resolveRequest, type Resolution } from './resolve-request.js';
import { readEmergency } from '../state/emergency-record.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { RunContext } from '../edge/run-context.js';

export interface VerifiedRequest {
  pull: PullRequestInfo;
  file: string;
  request: DeployRequest;
  config: DeployRequestConfig;
  environment: EnvironmentConfig;
  /** Blob SHA of the trusted config at the default branch's tip (part of the digest). */
  configSha: string;
  approval: ApprovalState;
  sticky: IssueComment | undefined;
  data: StickyData;
  defaultBranch: string;
  /** The request's break-glass switch (/emergency), when a verified one stands. */
  emergency?: EmergencySwitch;
}

export type Verification =
  | { ok: true; verified: VerifiedRequest }
  | {
      ok: false;
      reason: string;
      /** Read first, so every refusal has it (the PR is needed to reply on it). */
      pull: PullRequestInfo;
      sticky?: IssueComment;
      data: StickyData;
      approval?: ApprovalState;
    };

/** Why a run of the workflow at `workflowRef` may not use the key (invariant 9), if it may not. */
export function untrustedWorkflow(workflowRef: string, defaultBranch: string): string | undefined {
  if (workflowRef === `refs/heads/${defaultBranch}`) return undefined;
  return `This trusted run uses the workflow from \`${workflowRef || 'an unknown ref'}\`, not from the default branch \`${defaultBranch}\`; deploy-request only uses the SSH key in the default branch's workflow.`;
}

/** A request read and resolved in a trusted run, before approvals are judged. */
export type ReadRequest =
  | {
      ok: true;
      pull: PullRequestInfo;
      resolution: Extract<Resolution, { kind: 'valid' }>;
      sticky: IssueComment | undefined;
      data: StickyData;
      defaultBranch: string;
    }
  | Extract<Verification, { ok: false }>;

/** The open pull request's valid request, read as a trusted run must (invariants 1 and 9). */
export async function readTrustedRequest(
  ctx: RunContext,
  pullNumber: number,
): Promise<ReadRequest> {
  const { github, settings } = ctx;
  const [pull, defaultBranch] = await Promise.all([
    github.getPull(pullNumber),
    settings.defaultBranch ?? github.getDefaultBranch(),
  ]);
  const sticky = findSticky(await github.listComments(pullNumber));
  const data = readStickyData(sticky);
  const refuse = (reason: string): ReadRequest => ({ ok: false, reason, pull, sticky, data });

  // Invariant 9: the key is used only by the default branch's own workflow.
  const untrusted = untrustedWorkflow(settings.workflowRef, defaultBranch);
  if (untrusted) return refuse(untrusted);
  if (pull.state !== 'open')
    return refuse(
      `Pull request #${pullNumber} is ${pull.merged ? 'merged' : 'closed'}; nothing is deployed for it.`,
    );
  const resolution = await resolveRequest(
    github,
    pull,
    settings.repo,
    settings.configPath,
    defaultBranch,
  );
  if (resolution.kind === 'none')
    return refuse(`Pull request #${pullNumber} adds no deploy request file.`);
  if (resolution.kind === 'refused') {
    // A refusal with a status of its own (a request on another base branch) is marked on the PR
    // here too: the gate runs the PR's copy of the workflow, which may not run us at all.
    if (resolution.short)
      await publishGateReport(ctx, pull, sticky, refusalReport(ctx, pull, data, resolution));
    return refuse(resolution.reason);
  }
  if (resolution.kind === 'invalid') {
    return refuse(
      `The request \`${resolution.file}\` is not valid at the head commit (${resolution.problems.length} problem(s)); fix it and push.`,
    );
  }
  return { ok: true, pull, resolution, sticky, data, defaultBranch };
}

/**
 * The break-glass switch that applies to a request: a verified one for this pull request and the
 * request's environment, when the environment has a break-glass policy at all (no read otherwise).
 */
export async function emergencyOf(
  ctx: RunContext,
  pull: PullRequestInfo,
  environmentName: string,
  environment: EnvironmentConfig,
): Promise<EmergencySwitch | undefined> {
  if (!environment.emergency) return undefined;
  const found = await readEmergency(ctx.github, (await trustedKey(ctx)).state, pull.number);
  // A switch made for another environment (the request was edited since) does not carry over.
  return found?.environment === environmentName ? found : undefined;
}

/** Re-verifies a request from GitHub's facts; the reason says what does not hold. */
export async function verifyRequest(ctx: RunContext, pullNumber: number): Promise<Verification> {
  const read = await readTrustedRequest(ctx, pullNumber);
  if (!read.ok) return read;
  const { pull, resolution, sticky, data, defaultBranch } = read;
  const { environment, config, request } = resolution;
  const emergency = await emergencyOf(ctx, pull, request.environment, environment);
  // Under an emergency switch the requester's own approval never counts, whatever the config says.
  const approval = await evaluateAtHead(
    ctx.github,
    pull,
    emergency ? { ...config, allow_self_approval: false } : config,
    { ...environment, approval: approvalFor(environment, emergency) },
  );
  if (!approval.approved) {
    return {
      ok: false,
      reason:
        'The approvals are not complete for the head commit; every stage must approve the current commit first.',
      pull,
      sticky,
      data,
      approval,
    };
  }
  return {
    ok: true,
    verified: {
      pull,
      file: resolution.file,
      request,
      config,
      environment,
      configSha: resolution.configSha,
      approval,
      sticky,
      data,
      defaultBranch,
      ...(emergency ? { emergency } : {}),
    },
  };
}
