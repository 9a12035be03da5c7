// /emergency <reason>: the requester switches the request to the environment's break-glass policy.
// (Skeleton: the emergency work fills this in.)
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { refusalReply } from '../report/replies.js';

export async function handleEmergency(
  ctx: RunContext,
  event: CommentEvent,
  _command: { kind: 'emergency'; reason: string },
): Promise<Outcome> {
  const typed = `${ctx.settings.commandPrefix}emergency`;
  await ctx.github.createComment(
    event.pullNumber,
    refusalReply(typed, ['break-glass is not available yet.']),
  );
  return { phase: 'refused', message: `${typed} refused: not available yet.` };
}
