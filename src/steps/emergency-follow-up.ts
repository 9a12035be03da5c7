// After a break-glass deployment (deployed or failed: servers may have changed either way): the
// follow-up review issue for `review.reviewers`, with the signed record a later /emergency reads,
// and the `break-glass` label on the pull request. The deployment has happened by now, so a
// GitHub refusal here is logged loudly rather than turning the run's result into a failure.
import type { EmergencyConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import type { EmergencySwitch } from '../policy/emergency-policy.js';
import { trustedKey } from '../edge/trusted-key.js';
import { GitHubAccessError, GitHubRequestError } from '../github/errors.js';
import { reviewIssue } from '../report/emergency-view.js';
import { BREAK_GLASS_LABEL, REVIEW_LABEL, reviewRecordLine } from '../state/emergency-review.js';
import type { VerifiedRequest } from './verify-request.js';

export async function followUpEmergency(
  ctx: RunContext,
  v: VerifiedRequest,
  emergency: EmergencySwitch,
  policy: EmergencyConfig,
  result: string,
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  const record = { environment: emergency.environment, pr: v.pull.number, at };
  const issue = reviewIssue({
    emergency,
    policy,
    pr: v.pull.number,
    application: v.request.application,
    release: v.request.release,
    result,
    runUrl: ctx.settings.runUrl,
    dueAt: new Date(now.getTime() + policy.review.within_hours * 3_600_000).toISOString(),
    record: reviewRecordLine((await trustedKey(ctx)).state.signer, record),
  });
  try {
    const opened = await ctx.github.createIssue({ ...issue, labels: [REVIEW_LABEL] });
    ctx.log.info(`Opened the break-glass review issue #${opened.number}: ${opened.htmlUrl}`);
    await ctx.github.addLabels(v.pull.number, [BREAK_GLASS_LABEL]);
  } catch (error) {
    if (!(error instanceof GitHubRequestError || error instanceof GitHubAccessError)) throw error;
    ctx.log.warning(
      `BREAK-GLASS: the follow-up review could not be recorded (${error.message}); open an issue for ${policy.review.reviewers.join(', ')} by hand.`,
    );
  }
}
