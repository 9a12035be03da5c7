// /rollback [release-id]: a plan to switch `current` back to a release complete on every server,
// confirmed with /confirm <digest>. Every refusal is a reply; nothing on a server changes here
// (the servers' ledgers are only read).
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { readLedgers } from '../ledger/read-ledgers.js';
import { plainText, type Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import { buildPlan } from '../request/plan.js';
import { decideRollbackStart, unverifiedReason } from '../rollback/decide-rollback.js';
import { selectRelease } from '../rollback/select-release.js';
import { offerRollback, rollbackStartFacts } from '../steps/rollback-offer.js';
import { verifyRequest } from '../steps/verify-request.js';

export async function handleRollback(
  ctx: RunContext,
  event: CommentEvent,
  command: Extract<Command, { kind: 'rollback' }>,
): Promise<Outcome> {
  const typed = `${ctx.settings.commandPrefix}rollback`;
  const refuse = async (
    reason: Inline[] | string,
    extra: Partial<Outcome> = {},
  ): Promise<Outcome> => {
    const parts = typeof reason === 'string' ? [reason] : reason;
    await ctx.github.createComment(event.pullNumber, refusalReply(typed, parts));
    return { phase: 'refused', message: `${typed} refused: ${plainText(parts)}`, ...extra };
  };
  const verification = await verifyRequest(ctx, event.pullNumber);
  if (!verification.ok) return refuse(unverifiedReason(verification.reason));
  const v = verification.verified;
  const base = { requestFile: v.file, environment: v.request.environment };
  const start = decideRollbackStart(await rollbackStartFacts(ctx, v, event.comment.user));
  if (!start.ok) return refuse(start.reason, base);
  const servers = buildPlan(v.request, v.config).servers;
  const ledgers = await readLedgers(ctx, v.environment, servers);
  const selection = selectRelease(ledgers, command.releaseId);
  if (!selection.ok) return refuse(selection.reason, base);
  // What the target was when it was deployed, for the people confirming (any server's entry).
  const entry = ledgers
    .flatMap((l) => (l.ok ? l.releases : []))
    .find((r) => r.id === selection.target && r.meta);
  return offerRollback(ctx, v, selection, entry?.meta);
}
