// Whether an earlier emergency deployment to an environment is still unreviewed past its time:
// the signed review issues (state/emergency-review.ts) whose `within_hours` are up, oldest first.
// An open one is unreviewed; a closed one counts only when one of `review.reviewers` closed it
// (the requester closing their own review issue is no review). Who closed an issue is only on the
// issue itself, so each closed, due issue costs one read; open ones and ones not yet due cost none.
import { isListed, teamsDeciding } from '../approval/listed-people.js';
import type { EmergencyConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import { dueReviews, type EmergencyReview } from '../policy/emergency-policy.js';
import { readEmergencyReviews } from '../state/emergency-review.js';
import type { TrustedState } from '../state/prompts.js';
import { resolveTeamMembers } from './approval-step.js';

export interface Unreviewed {
  review: EmergencyReview;
  /** Set when the issue was closed, by someone who is not a reviewer. */
  closedBy?: string;
}

export async function unreviewedEmergency(
  ctx: RunContext,
  trust: TrustedState,
  environment: string,
  policy: EmergencyConfig,
): Promise<Unreviewed | undefined> {
  const { github } = ctx;
  const reviews = await readEmergencyReviews(github, trust, environment);
  const { reviewers, within_hours: hours } = policy.review;
  for (const review of dueReviews(reviews, hours, ctx.now())) {
    if (!review.closed) return { review };
    const by = await github.issueClosedBy(review.issue);
    if (by === null) return { review };
    const teams = await resolveTeamMembers(github, teamsDeciding(reviewers, by));
    if (!isListed(reviewers, by, teams)) return { review, closedBy: by };
  }
  return undefined;
}
