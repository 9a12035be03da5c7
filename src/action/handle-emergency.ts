// /emergency <reason>: the requester switches the request to the environment's break-glass
// policy. Refused (nothing recorded, nobody asked) for anyone else, for an environment without a
// policy, for a request already switched, and while an earlier emergency deployment there is
// unreviewed past its `within_hours`. Otherwise: the signed switch, the emergency approvers asked
// for review (never the requester), and a loud reply. The prompt comes with /recheck once approved.
import { isListed } from '../approval/listed-people.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import { approvalFor } from '../policy/emergency-policy.js';
import {
  alreadySwitchedReason,
  emergencySwitchedReply,
  notConfiguredReason,
  overdueReviewReason,
} from '../report/emergency-view.js';
import { plainText, type Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import { recordEmergency } from '../state/emergency-record.js';
import { evaluateAtHead, requestCurrentStage } from '../steps/approval-step.js';
import { unreviewedEmergency } from '../steps/emergency-reviews.js';
import { readTrustedRequest } from '../steps/verify-request.js';

export async function handleEmergency(
  ctx: RunContext,
  event: CommentEvent,
  command: { kind: 'emergency'; reason: string },
): Promise<Outcome> {
  const { github, settings } = ctx;
  const typed = `${settings.commandPrefix}emergency`;
  const refuse = async (reason: Inline[] | string, environment?: string): Promise<Outcome> => {
    const parts = typeof reason === 'string' ? [reason] : reason;
    await github.createComment(event.pullNumber, refusalReply(typed, parts));
    return {
      phase: 'refused',
      ...(environment ? { environment } : {}),
      message: `${typed} refused: ${plainText(parts)}`,
    };
  };
  const read = await readTrustedRequest(ctx, event.pullNumber);
  if (!read.ok) return refuse(read.reason);
  const { pull, resolution } = read;
  const { environment, config, request } = resolution;
  const name = request.environment;
  const by = event.comment.user;
  const requesters = [pull.author, ...environment.confirm.requesters];
  if (!isListed(requesters, by, new Map()))
    return refuse(
      [
        'only the requester (',
        { mention: pull.author },
        ') may switch this request to the emergency policy.',
      ],
      name,
    );
  const policy = environment.emergency;
  if (!policy) return refuse(notConfiguredReason(name, settings.configPath), name);

  const trust = (await trustedKey(ctx)).state;
  const now = ctx.now();
  const late = await unreviewedEmergency(ctx, trust, name, policy);
  if (late) return refuse(overdueReviewReason(late, name, policy.review), name);
  const recorded = await recordEmergency(github, trust, {
    pr: pull.number,
    environment: name,
    reason: command.reason,
    by,
    at: now.toISOString(),
  });
  if (!recorded.recorded) return refuse(alreadySwitchedReason(recorded.existing), name);
  const emergency = recorded.emergency;

  // Ask the emergency approvers now, whatever stage the usual ones are at; the author never.
  const stage = approvalFor(
    { ...environment, approval: { stages: [], ordered: false } },
    emergency,
  );
  const scoped = { ...environment, approval: stage };
  const noSelf = { ...config, allow_self_approval: false };
  const state = await evaluateAtHead(github, pull, noSelf, scoped);
  const asked = await requestCurrentStage(github, pull, scoped, state, settings.repo.owner);
  ctx.log.warning(
    `BREAK-GLASS: ${by} switched #${pull.number} (${name}) to the emergency policy: ${command.reason}`,
  );
  await github.createComment(
    pull.number,
    emergencySwitchedReply({
      emergency,
      policy,
      asked: [...asked.users, ...asked.teams.map((t) => `${settings.repo.owner}/${t}`)],
      prefix: settings.commandPrefix,
    }),
  );
  return {
    phase: 'awaiting-approval',
    requestFile: resolution.file,
    environment: name,
    message: `${name}: switched to the emergency policy by ${by}; waiting for the emergency approvers.`,
  };
}
