// workflow_dispatch (the hand-over) and /recheck: trusted runs. Re-verify everything from GitHub,
// then configure and check the servers.
import { loginKey } from '../approval/logins.js';
import type { Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { verifyRequest, type VerifiedRequest } from '../steps/verify-request.js';
import {
  alreadyDoneReason,
  runEnvironmentStep,
  type AlreadyDone,
} from '../steps/environment-step.js';
import { deployedOrRunning } from '../state/prompts.js';
import { trustedKey } from '../edge/trusted-key.js';
import { requestDigest } from '../confirm/digest.js';

/** Who may ask for a recheck: the requesters and the people named as reviewers or who approved. */
export function mayRecheck(v: VerifiedRequest, login: string): boolean {
  const named = v.environment.approval.stages.flatMap((s) =>
    s.reviewers.filter((r) => !r.includes('/')),
  );
  const allowed = [
    v.pull.author,
    ...v.environment.confirm.requesters,
    ...named,
    ...v.approval.approvers,
  ];
  return allowed.some((a) => loginKey(a) === loginKey(login));
}

/** `requestedBy` is set for /recheck (a comment); the hand-over dispatch has no commenter. */
export async function handleDispatch(
  ctx: RunContext,
  pullNumber: number,
  requestedBy?: string,
): Promise<Outcome> {
  const what = requestedBy ? `${ctx.settings.commandPrefix}recheck` : 'The trusted run';
  const refuse = async (reason: Inline[], message: string): Promise<Outcome> => {
    await ctx.github.createComment(pullNumber, refusalReply(what, reason));
    return { phase: 'refused', message };
  };
  const verification = await verifyRequest(ctx, pullNumber);
  if (!verification.ok) return refuse([verification.reason], verification.reason);
  if (requestedBy && !mayRecheck(verification.verified, requestedBy)) {
    return refuse(
      ['only the requester and the configured reviewers may ask for a recheck.'],
      `${what} from ${requestedBy} was refused.`,
    );
  }
  const v = verification.verified;
  // Invariant 5: no new prompt for a plan that has been deployed or is deploying right now.
  const digest = requestDigest(v.request, v.environment, v.pull.headSha, v.configSha);
  const alreadyDone = (done: AlreadyDone) => {
    const reason = alreadyDoneReason(done);
    return refuse([reason], `${what} opened no new prompt: ${reason}`);
  };
  const done = await deployedOrRunning(ctx.github, trustedKey(ctx).state, v.request.environment, {
    pr: v.pull.number,
    sha: v.pull.headSha,
    digest,
  });
  if (done) return alreadyDone(done);
  return runEnvironmentStep(ctx, v, alreadyDone);
}
