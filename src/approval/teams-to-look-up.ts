import type { ApprovalStage } from '../config/types.js';
import type { Review } from '../domain/review.js';
import { latestVerdicts } from './latest-verdicts.js';
import { isTeamEntry, loginKey } from '../domain/logins.js';
import { teamsOf } from './team-slugs.js';

export interface TeamLookupInput {
  author: string;
  reviews: readonly Review[];
  stages: ApprovalStage[];
  allowSelfApproval: boolean;
}

/**
 * Which `org/team` entries need their members looked up (one API call each) for this evaluation,
 * and which may be left unknown without changing any decision.
 *
 * evaluateApprovals asks "is X a member of stage S?" only for people with a standing verdict or
 * an approval (even a superseded one), and never for bots or the author (unless self-approval is
 * allowed): everything else it decides (approved, counted, stale, blocked, ignored) follows from
 * those answers. Such a person's answer depends on team T only for a stage listing T that does
 * not name them directly. So T is looked up exactly when some such person and stage exist; with
 * no reviews yet, no team is. What needs every member (who is still eligible, whether a stage
 * can ever be met) is left for the evaluator to treat as unknown.
 */
export function teamsToLookUp(input: TeamLookupInput): { lookUp: string[]; unknown: string[] } {
  const authorKey = loginKey(input.author);
  const relevant = [...latestVerdicts(input.reviews).values()]
    .filter((p) => p.verdict !== null || p.superseded.length > 0)
    .filter((p) => !p.isBot && (input.allowSelfApproval || p.key !== authorKey))
    .map((p) => p.key);
  const lookUp: string[] = [];
  const unknown: string[] = [];
  for (const team of teamsOf(input.stages)) {
    const listing = input.stages.filter((stage) =>
      stage.reviewers.some((entry) => isTeamEntry(entry) && loginKey(entry) === loginKey(team)),
    );
    const needed = relevant.some((key) =>
      listing.some(
        (stage) => !stage.reviewers.some((entry) => !isTeamEntry(entry) && loginKey(entry) === key),
      ),
    );
    (needed ? lookUp : unknown).push(team);
  }
  return { lookUp, unknown };
}
