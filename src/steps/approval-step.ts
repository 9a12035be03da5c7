// The approval part of a gate run (pull_request / pull_request_review): evaluate the stages at the
// head SHA, ask the current stage for reviews, set the approval status, and hand over to the
// trusted run once every stage is met (once per head SHA).
import { approvalStatusDescription } from '../approval/approval-summary.js';
import { evaluateApprovals, type ApprovalState } from '../approval/evaluate-approvals.js';
import { planReviewRequests } from '../approval/plan-review-requests.js';
import { teamsToLookUp } from '../approval/teams-to-look-up.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import { APPROVAL_CONTEXT } from '../domain/status-contexts.js';
import { GitHubConflictError } from '../github/errors.js';
import type { CommitStatus, GitHubPort, PullRequestInfo } from '../github/port.js';

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

/** Reviewers GitHub would not ask (422: no access to the repository), with its message. */
export interface RefusedReviewers {
  users: string[];
  teams: string[];
  message: string;
}

const is422 = (error: unknown): boolean => error instanceof GitHubConflictError;

/**
 * GitHub refuses a whole review request when one reviewer has no access (422, nobody is asked):
 * ask each one alone to learn who, and to still ask everyone else.
 */
async function requestOneByOne(
  github: Pick<GitHubPort, 'requestReviewers'>,
  number: number,
  users: string[],
  teams: string[],
  message: string,
): Promise<{ users: string[]; teams: string[]; refused?: RefusedReviewers }> {
  const asked = { users: [] as string[], teams: [] as string[] };
  const refused = { users: [] as string[], teams: [] as string[], message };
  const one = async (kind: 'users' | 'teams', name: string): Promise<void> => {
    try {
      await github.requestReviewers(
        number,
        kind === 'users' ? [name] : [],
        kind === 'teams' ? [name] : [],
      );
      asked[kind].push(name);
    } catch (error) {
      if (!is422(error)) throw error;
      refused[kind].push(name);
    }
  };
  for (const user of users) await one('users', user);
  for (const team of teams) await one('teams', team);
  const none = refused.users.length + refused.teams.length === 0;
  return none ? asked : { ...asked, refused };
}

/**
 * Asks the current stage's reviewers (never the author, not while draft or closed, nobody twice).
 * A request GitHub refuses with 422 (a reviewer without access to the repository, a team not
 * added to it) is a courtesy that failed: the others are still asked, the refused ones are
 * reported, and the gate goes on, so the status, the comment and the hand-over do not depend on
 * it (an approval from a refused reviewer still counts).
 */
export async function requestCurrentStage(
  github: Pick<GitHubPort, 'requestReviewers'>,
  pull: PullRequestInfo,
  environment: EnvironmentConfig,
  state: ApprovalState,
  repoOwner: string,
): Promise<{ users: string[]; teams: string[]; refused?: RefusedReviewers }> {
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
    if (!is422(error)) throw error;
    return requestOneByOne(github, pull.number, plan.users, plan.teams, (error as Error).message);
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
