// The start of every trusted run (workflow_dispatch, issue_comment): these hold the SSH key, so
// nothing from the event is trusted beyond the PR number; everything is re-read from GitHub.
import type { ApprovalState } from '../approval/evaluate-approvals.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import type { IssueComment, PullRequestInfo } from '../github/port.js';
import type { EmergencySwitch } from '../policy/emergency-policy.js';
import type { DeployRequest } from '../request/types.js';
import { findSticky, readStickyData, type StickyData } from '../state/sticky-comment.js';
import { evaluateAtHead } from './approval-step.js';
import { publishGateReport, refusalReport } from './gate-report.js';
import { resolveRequest } from './resolve-request.js';
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
  /** The request's break-glass switch (/emergency), when one stands; filled by the emergency step. */
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

/** Re-verifies a request from GitHub's facts; the reason says what does not hold. */
export async function verifyRequest(ctx: RunContext, pullNumber: number): Promise<Verification> {
  const { github, settings } = ctx;
  const [pull, defaultBranch] = await Promise.all([
    github.getPull(pullNumber),
    settings.defaultBranch ?? github.getDefaultBranch(),
  ]);
  const sticky = findSticky(await github.listComments(pullNumber));
  const data = readStickyData(sticky);
  const refuse = (reason: string, approval?: ApprovalState): Verification => ({
    ok: false,
    reason,
    pull,
    sticky,
    data,
    approval,
  });

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
  const approval = await evaluateAtHead(github, pull, resolution.config, resolution.environment);
  if (!approval.approved) {
    return refuse(
      'The approvals are not complete for the head commit; every stage must approve the current commit first.',
      approval,
    );
  }
  return {
    ok: true,
    verified: {
      pull,
      file: resolution.file,
      request: resolution.request,
      config: resolution.config,
      environment: resolution.environment,
      configSha: resolution.configSha,
      approval,
      sticky,
      data,
      defaultBranch,
    },
  };
}
