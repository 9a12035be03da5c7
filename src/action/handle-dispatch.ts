// workflow_dispatch (the hand-over) and /recheck: trusted runs. Re-verify everything from GitHub,
// then configure and check the servers.
import { refusalReply } from '../report/replies.js';
import type { Outcome } from './outcome.js';
import type { RunContext } from './run-context.js';
import { verifyRequest } from './trusted-run.js';
import { runEnvironmentStep } from './environment-step.js';

export async function handleDispatch(ctx: RunContext, pullNumber: number): Promise<Outcome> {
  const verification = await verifyRequest(ctx, pullNumber);
  if (!verification.ok) {
    await ctx.github.createComment(
      pullNumber,
      refusalReply('deploy-request', [verification.reason]),
    );
    return { phase: 'refused', message: verification.reason };
  }
  return runEnvironmentStep(ctx, verification.verified);
}
