// workflow_dispatch (the hand-over) and /recheck: trusted runs. Re-verify everything from GitHub,
// then configure and check the servers.
import { loginKey } from '../domain/logins.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import type { Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import type { DeployedOrRunning } from '../state/prompts.js';
import { runEnvironmentStep } from '../steps/environment-step.js';
import { verifyRequest, type VerifiedRequest } from '../steps/verify-request.js';

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

/** Why no new prompt opens for a plan that has been deployed or is deploying (invariant 5). */
function alreadyDoneReason(done: DeployedOrRunning): string {
  return done.state === 'success'
    ? `this plan has already been deployed (deployment ${done.id}); nothing is deployed twice. Open a new request to deploy again.`
    : `a deployment of this plan is in progress (deployment ${done.id}); wait for its result.`;
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
  const step = await runEnvironmentStep(ctx, verification.verified);
  if (step.kind === 'reported') return step.outcome;
  if (step.kind === 'refused')
    return refuse([step.reason], `${what} opened no prompt: ${step.reason}`);
  const reason = alreadyDoneReason(step.done);
  return refuse([reason], `${what} opened no new prompt: ${reason}`);
}
