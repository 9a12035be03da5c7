// /lock <environment> <reason> [for <duration>] and /unlock <environment>: a hold that the
// environment's operators set and clear (src/state/environment-hold.ts); no /confirm deploys
// there while it stands. Each ends with one reply; anything refused changes nothing.
import { isListed, teamsDeciding } from '../approval/listed-people.js';
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import {
  alreadyHeldReason,
  holdLiftedReply,
  holdPlacedReply,
  notHeldReason,
  notOperatorReason,
} from '../report/hold-view.js';
import { plainText, type Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import { liftHold, placeHold } from '../state/environment-hold.js';
import type { TrustedState } from '../state/prompts.js';
import { resolveTeamMembers } from '../steps/approval-step.js';
import { trustedEnvironment } from '../steps/trusted-config.js';

type Refuse = (reason: Inline[] | string) => Promise<Outcome>;

function refuser(ctx: RunContext, event: CommentEvent, typed: string, environment: string): Refuse {
  return async (reason) => {
    const parts = typeof reason === 'string' ? [reason] : reason;
    await ctx.github.createComment(event.pullNumber, refusalReply(typed, parts));
    return { phase: 'refused', environment, message: `${typed} refused: ${plainText(parts)}` };
  };
}

/**
 * The trust to act with, once the environment is known and the commenter is one of its
 * operators (teams read with the members token, only when the login is not listed by name).
 */
async function operatorCheck(
  ctx: RunContext,
  event: CommentEvent,
  environment: string,
  refuse: Refuse,
): Promise<{ trust: TrustedState } | { refused: Outcome }> {
  const found = await trustedEnvironment(ctx, environment);
  if (!found.ok) return { refused: await refuse(found.reason) };
  const { operators } = found.environment;
  const login = event.comment.user;
  const teams = await resolveTeamMembers(ctx.github, teamsDeciding(operators, login));
  if (!isListed(operators, login, teams)) {
    return {
      refused: await refuse(
        notOperatorReason(login, environment, operators, ctx.settings.configPath),
      ),
    };
  }
  return { trust: (await trustedKey(ctx)).state };
}

export async function handleLock(
  ctx: RunContext,
  event: CommentEvent,
  command: Extract<Command, { kind: 'lock' }>,
): Promise<Outcome> {
  const { environment, reason, forMinutes } = command;
  const prefix = ctx.settings.commandPrefix;
  const refuse = refuser(ctx, event, `${prefix}lock`, environment);
  const checked = await operatorCheck(ctx, event, environment, refuse);
  if ('refused' in checked) return checked.refused;
  const result = await placeHold(
    ctx.github,
    checked.trust,
    { environment, holder: event.comment.user, reason, forMinutes },
    ctx.now(),
  );
  if (!result.placed) return refuse(alreadyHeldReason(result.held, prefix));
  const until = result.hold.expiresAt ?? 'it is unlocked';
  await ctx.github.createComment(event.pullNumber, holdPlacedReply(result.hold, prefix));
  return {
    phase: 'ignored',
    environment,
    message: `${environment} is held by ${result.hold.holder} until ${until}.`,
  };
}

export async function handleUnlock(
  ctx: RunContext,
  event: CommentEvent,
  command: Extract<Command, { kind: 'unlock' }>,
): Promise<Outcome> {
  const { environment } = command;
  const prefix = ctx.settings.commandPrefix;
  const refuse = refuser(ctx, event, `${prefix}unlock`, environment);
  const checked = await operatorCheck(ctx, event, environment, refuse);
  if ('refused' in checked) return checked.refused;
  const result = await liftHold(ctx.github, checked.trust, environment, ctx.now());
  if ('none' in result) return refuse(notHeldReason(environment));
  const by = event.comment.user;
  await ctx.github.createComment(
    event.pullNumber,
    holdLiftedReply(result.lifted, result.expired, by, prefix),
  );
  return {
    phase: 'ignored',
    environment,
    message: result.expired
      ? `The hold of ${environment} had expired; ${by} removed it.`
      : `${by} lifted the hold of ${environment}.`,
  };
}
