// /status [environment]: per server, the live release and the releases kept (the ledger), the
// environment's locks and any open prompt. (Skeleton: filled in by issue 15's work.)
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { refusalReply } from '../report/replies.js';

export async function handleStatus(
  ctx: RunContext,
  event: CommentEvent,
  _command: Extract<Command, { kind: 'status' }>,
): Promise<Outcome> {
  const typed = `${ctx.settings.commandPrefix}status`;
  await ctx.github.createComment(event.pullNumber, refusalReply(typed, ['not available yet.']));
  return { phase: 'refused', message: `${typed} is not available yet.` };
}
