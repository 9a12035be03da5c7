import type { ApprovalStage } from '../config/types.js';
import type { ApprovalState } from './evaluate-approvals.js';
import { displayLogin, isBotLogin, isTeamEntry, loginKey, splitTeam } from '../domain/logins.js';

export interface ReviewRequestInput {
  state: ApprovalState;
  /** The same stages the state was evaluated from. */
  stages: ApprovalStage[];
  author: string;
  draft: boolean;
  /** Who is requested on the PR right now (team entries as bare slugs or "org/slug"). */
  alreadyRequested: { users: string[]; teams: string[] };
  repoOwner: string;
  /** When false, every unmet stage is asked at once (they do not wait for each other). Default true. */
  ordered?: boolean;
}

export interface ReviewRequests {
  users: string[];
  /** Bare slugs, as GitHub's team_reviewers takes them. */
  teams: string[];
}

/**
 * Who to ask for a review now. Never the author (GitHub answers 422), never someone whose
 * approval already counts, nobody while the PR is a draft, nobody twice. A reviewer whose
 * approval went stale after a push is asked again, even when they are only in a team.
 */
export function planReviewRequests(input: ReviewRequestInput): ReviewRequests {
  const plan: ReviewRequests = { users: [], teams: [] };
  if (input.draft) return plan;
  const skipUsers = new Set(
    [input.author, ...input.state.approvers, ...input.alreadyRequested.users].map(loginKey),
  );
  const skipTeams = new Set(input.alreadyRequested.teams.map(bareSlug));
  const ownerKey = loginKey(input.repoOwner);

  const addUser = (login: string): void => {
    if (skipUsers.has(loginKey(login)) || isBotLogin(login)) return;
    skipUsers.add(loginKey(login));
    plan.users.push(displayLogin(login));
  };
  const addTeam = (entry: string): void => {
    const { org, slug } = splitTeam(entry);
    // team_reviewers only resolves teams of the repository's own organisation.
    if (loginKey(org) !== ownerKey || skipTeams.has(bareSlug(slug))) return;
    skipTeams.add(bareSlug(slug));
    plan.teams.push(slug);
  };

  input.state.stages.forEach((state, i) => {
    const isCurrent = i === input.state.currentStage;
    const asked = isCurrent || (input.ordered === false && state.status !== 'met');
    const stage = input.stages[i];
    if (!asked || !stage) return;
    if (state.missing === 0) {
      // Enough approvals; only a "changes requested" holds it: ask just those reviewers again.
      state.changesRequestedBy.forEach(addUser);
      return;
    }
    for (const entry of stage.reviewers) {
      if (isTeamEntry(entry)) addTeam(entry);
      else addUser(entry);
    }
    state.stale.forEach((stale) => addUser(stale.user));
  });
  return plan;
}

function bareSlug(team: string): string {
  return loginKey(isTeamEntry(team) ? splitTeam(team).slug : team);
}
