// The approval part of a gate run (pull_request / pull_request_review): evaluate the stages at the
// head SHA, ask the current stage for reviews, set the approval status, and hand over to the
// trusted run once every stage is met (once per head SHA).
import { approvalStatusDescription } from '../approval/approval-summary.js';
import { evaluateApprovals, type ApprovalState } from '../approval/evaluate-approvals.js';
import { planReviewRequests } from '../approval/plan-review-requests.js';
import { teamsToLookUp } from '../approval/teams-to-look-up.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import type { CommitStatus, GitHubPort, PullRequestInfo } from '../github/port.js';

export const APPROVAL_CONTEXT = 'deploy-request/approval';

/** Members of the given `org/team` entries, read once per run. */
export async function resolveTeamMembers(
  github: Pick<GitHubPort, 'listTeamMembers'>,
  teams: string[],
): Promise<Map<string, string[]>> {
  const members = await Promise.all(
    teams.map((team) => {
      const [org, slug] = team.split('/') as [string, string];
      return github.listTeamMembers(org, slug);
    }),
  );
  return new Map(teams.map((team, i) => [team, members[i]!]));
}

export async function evaluateAtHead(
  github: Pick<GitHubPort, 'listReviews' | 'listTeamMembers'>,
  pull: PullRequestInfo,
  config: DeployRequestConfig,
  environment: EnvironmentConfig,
): Promise<ApprovalState> {
  const reviews = await github.listReviews(pull.number);
  const input = {
    author: pull.author,
    headSha: pull.headSha,
    reviews,
    stages: environment.approval.stages,
    ordered: environment.approval.ordered,
    allowSelfApproval: config.allow_self_approval,
  };
  // Teams only when a review could count through them: the decisions are the same as with every
  // team looked up (see teamsToLookUp), at one API call less per team until the first review.
  const teams = teamsToLookUp(input);
  const teamMembers = await resolveTeamMembers(github, teams.lookUp);
  return evaluateApprovals({ ...input, teamMembers, unknownTeams: teams.unknown });
}

/**
 * Asks the current stage's reviewers (never the author, not while draft or closed, nobody twice).
 * A request GitHub refuses with 422 (a reviewer without access to the repository, a team not
 * added to it) is a courtesy that failed: it is reported, and the gate goes on, so the status,
 * the comment and the hand-over do not depend on it.
 */
export async function requestCurrentStage(
  github: Pick<GitHubPort, 'requestReviewers'>,
  pull: PullRequestInfo,
  environment: EnvironmentConfig,
  state: ApprovalState,
  repoOwner: string,
): Promise<{ users: string[]; teams: string[]; refused?: string }> {
  const plan = planReviewRequests({
    state,
    stages: environment.approval.stages,
    author: pull.author,
    draft: pull.draft || pull.state !== 'open',
    alreadyRequested: { users: pull.requestedUsers, teams: pull.requestedTeams },
    repoOwner,
    ordered: environment.approval.ordered,
  });
  try {
    await github.requestReviewers(pull.number, plan.users, plan.teams);
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    return { ...plan, refused: (error as Error).message };
  }
  return plan;
}

/** The `deploy-request/approval` commit status for a state. */
export function approvalStatus(state: ApprovalState, targetUrl: string): CommitStatus {
  return {
    context: APPROVAL_CONTEXT,
    state: state.approved ? 'success' : 'pending',
    description: approvalStatusDescription(state),
    targetUrl,
  };
}
