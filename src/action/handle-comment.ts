// issue_comment runs (trusted: default branch workflow). Commands on the first line only.
import { parseCommand } from '../command/parse-command.js';
import { helpReply, refusalReply } from '../report/replies.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { handleDispatch } from './handle-dispatch.js';
import { handleConfirm } from './handle-confirm.js';
import { handleCancel } from './handle-cancel.js';
import { handleLock, handleUnlock } from './handle-lock.js';
import { handleRollback } from './handle-rollback.js';
import { handleStatus } from './handle-status.js';
import { handleEmergency } from './handle-emergency.js';

export async function handleComment(ctx: RunContext, event: CommentEvent): Promise<Outcome> {
  const { github, settings } = ctx;
  const command = event.comment.userIsBot
    ? null
    : parseCommand(event.comment.body, settings.commandPrefix);
  if (!command)
    return { phase: 'ignored', message: 'The comment is not a deploy-request command.' };
  const word =
    command.kind === 'unknown' || command.kind === 'malformed' ? command.word : command.kind;
  const typed = `${settings.commandPrefix}${word}`;

  if (event.action !== 'created') {
    // Invariant 4: an edited comment never runs a command (its first line may have changed).
    await github.createComment(
      event.pullNumber,
      refusalReply(typed, [
        'commands count only in new comments, not in edited ones. Post a new comment.',
      ]),
    );
    return { phase: 'refused', message: `${typed} in an edited comment was refused.` };
  }
  await github.addReaction(event.comment.id, 'eyes');

  switch (command.kind) {
    case 'help':
    case 'unknown':
      await github.createComment(
        event.pullNumber,
        helpReply(settings.commandPrefix, command.kind === 'unknown' ? command.word : undefined),
      );
      return { phase: 'ignored', message: 'Listed the commands.' };
    case 'recheck':
      return handleDispatch(ctx, event.pullNumber, event.comment.user);
    case 'confirm':
      return handleConfirm(ctx, event.pullNumber, event.comment.user, command.digest);
    case 'cancel':
      return handleCancel(ctx, event.pullNumber, event.comment.user, typed);
    case 'malformed':
      await github.createComment(
        event.pullNumber,
        refusalReply(typed, [command.problem, ' Usage: ', { code: command.usage }, '.']),
      );
      return { phase: 'refused', message: `${typed} refused: ${command.problem}` };
    case 'rollback':
      return handleRollback(ctx, event, command);
    case 'status':
      return handleStatus(ctx, event, command);
    case 'lock':
      return handleLock(ctx, event, command);
    case 'unlock':
      return handleUnlock(ctx, event, command);
    case 'emergency':
      return handleEmergency(ctx, event, command);
  }
}
