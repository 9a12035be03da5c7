// /lock <environment> <reason> [for <duration>] and /unlock <environment>: a hold that operators
// set and clear; no deployment starts while it stands. (Skeleton: filled in by issue 15's work.)
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { refusalReply } from '../report/replies.js';

async function notYet(ctx: RunContext, event: CommentEvent, word: string): Promise<Outcome> {
  const typed = `${ctx.settings.commandPrefix}${word}`;
  await ctx.github.createComment(event.pullNumber, refusalReply(typed, ['not available yet.']));
  return { phase: 'refused', message: `${typed} is not available yet.` };
}

export async function handleLock(
  ctx: RunContext,
  event: CommentEvent,
  _command: Extract<Command, { kind: 'lock' }>,
): Promise<Outcome> {
  return notYet(ctx, event, 'lock');
}

export async function handleUnlock(
  ctx: RunContext,
  event: CommentEvent,
  _command: Extract<Command, { kind: 'unlock' }>,
): Promise<Outcome> {
  return notYet(ctx, event, 'unlock');
}
