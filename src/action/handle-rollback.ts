// /rollback [release-id]: a plan to switch `current` back to a release complete on every
// server, confirmed with /confirm <digest>. (Skeleton: filled in by issue 15's work.)
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { refusalReply } from '../report/replies.js';

export async function handleRollback(
  ctx: RunContext,
  event: CommentEvent,
  _command: Extract<Command, { kind: 'rollback' }>,
): Promise<Outcome> {
  const typed = `${ctx.settings.commandPrefix}rollback`;
  await ctx.github.createComment(event.pullNumber, refusalReply(typed, ['not available yet.']));
  return { phase: 'refused', message: `${typed} is not available yet.` };
}
