// Break-glass in gate runs (pull_request_review): these hold no key, so they cannot verify the
// switch, and the approval status and the status comment stay on the usual stages. When the
// switch the branch claims has its emergency approvals, the gate only hands over early: the
// trusted run verifies the signed switch before anything counts (a forged branch gets no prompt).
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import type { GitHubPort, PullRequestInfo } from '../github/port.js';
import { approvalFor } from '../policy/emergency-policy.js';
import type { Inline } from '../report/markdown.js';
import { claimedEmergency } from '../state/emergency-record.js';
import { evaluateAtHead } from './approval-step.js';

/** Whether the claimed switch's approvals are met at the head (false without a policy or claim). */
export async function claimedEmergencyApproved(
  github: Pick<GitHubPort, 'getRefSha' | 'getCommit' | 'listReviews' | 'listTeamMembers'>,
  pull: PullRequestInfo,
  config: DeployRequestConfig,
  environment: EnvironmentConfig,
  environmentName: string,
): Promise<boolean> {
  if (!environment.emergency) return false;
  const claimed = await claimedEmergency(github, pull.number);
  if (claimed?.environment !== environmentName) return false;
  const state = await evaluateAtHead(
    github,
    pull,
    { ...config, allow_self_approval: false },
    { ...environment, approval: approvalFor(environment, claimed) },
  );
  return state.approved;
}

export function emergencyHandOverNote(author: string): Inline[] {
  return [
    { strong: '🚨 BREAK-GLASS' },
    ': the emergency approvers have approved; handed over to the trusted run, which verifies the switch and asks ',
    { mention: author },
    ' to confirm.',
  ];
}
