// /status [environment]: per server, the release `current` points to and the releases kept (the
// ledger, one round trip per server), the deployment lock, the hold and this PR's open prompt.
// Read-only: it changes nothing anywhere, so it needs no approvals; it is for the repository's
// members and collaborators only (on a public repository anyone may comment, and each /status
// opens an SSH session to every server of the environment).
import type { Command } from '../command/parse-command.js';
import type { CommentEvent } from '../edge/event.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import { readLedgers } from '../ledger/read-ledgers.js';
import type { ServerLedger } from '../ledger/types.js';
import {
  renderEnvironmentStatus,
  type StatusPrompt,
  type StatusServer,
} from '../report/environment-status-view.js';
import { refusalReply } from '../report/replies.js';
import { currentLockHolder } from '../state/environment-lock.js';
import { readHold } from '../state/environment-hold.js';
import { listPrompts } from '../state/prompts.js';
import { resolveRequest } from '../steps/resolve-request.js';
import { trustedEnvironment } from '../steps/trusted-config.js';

/** author_association values of people with a stake in the repository. */
const INSIDERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function statusServers(ledgers: ServerLedger[]): StatusServer[] {
  return ledgers.map((l) =>
    !l.ok
      ? { server: l.server, ok: false, error: l.error }
      : {
          server: l.server,
          ok: true,
          current: l.current,
          releases: l.releases.map((r) => ({
            id: r.id,
            release: r.meta?.release,
            pullRequest: r.meta?.pull_request,
            requester: r.meta?.requester,
            at: r.meta?.finished_at ?? r.meta?.started_at ?? r.meta?.deployed_at,
            complete: r.complete,
            bad: r.bad,
            badReason: r.badReason,
            ...(r.meta?.emergency ? { emergency: r.meta.emergency.reason } : {}),
          })),
        },
  );
}

export async function handleStatus(
  ctx: RunContext,
  event: CommentEvent,
  command: Extract<Command, { kind: 'status' }>,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const typed = `${settings.commandPrefix}status`;
  const refuse = async (reason: string): Promise<Outcome> => {
    await github.createComment(event.pullNumber, refusalReply(typed, [reason]));
    return { phase: 'refused', message: `${typed} refused: ${reason}` };
  };
  if (!INSIDERS.has(event.comment.association))
    return refuse(
      `only the repository's members and collaborators may ask for the servers' status (@${event.comment.user} is ${event.comment.association.toLowerCase()}).`,
    );
  let name = command.environment;
  if (name === undefined) {
    // The environment of this pull request's request, when it has a valid one.
    const [pull, defaultBranch] = await Promise.all([
      github.getPull(event.pullNumber),
      settings.defaultBranch ?? github.getDefaultBranch(),
    ]);
    const resolution = await resolveRequest(
      github,
      pull,
      settings.repo,
      settings.configPath,
      defaultBranch,
    );
    if (resolution.kind !== 'valid')
      return refuse(
        `this pull request has no valid deploy request to take the environment from; name one: \`${typed} <environment>\`.`,
      );
    name = resolution.request.environment;
  }
  // Invariant 9 and 1: the default branch's workflow and configuration, read now.
  const trusted = await trustedEnvironment(ctx, name);
  if (!trusted.ok) return refuse(trusted.reason);
  const { environment } = trusted;

  const trust = (await trustedKey(ctx)).state;
  const now = ctx.now();
  const [ledgers, deployLock, hold, prompts] = await Promise.all([
    readLedgers(ctx, environment, environment.servers),
    currentLockHolder(github, trust, name, environment.lock.stale_after_minutes, now),
    readHold(github, trust, name, now),
    listPrompts(github, trust, name, undefined, { pr: event.pullNumber, newestOnly: true }),
  ]);
  const [newest] = prompts;
  const open = newest && newest.state === 'queued' && Date.parse(newest.expiresAt) > now.getTime();
  const prompt: StatusPrompt | null = open
    ? {
        kind: newest.kind === 'rollback' ? 'rollback' : 'deploy',
        what: newest.kind === 'rollback' ? (newest.rollbackTo ?? newest.release) : newest.release,
        digest: newest.digest,
        expiresAt: newest.expiresAt,
      }
    : null;
  const body = renderEnvironmentStatus({
    environment: name,
    servers: statusServers(ledgers),
    deployLock,
    hold,
    prompt,
    pullNumber: event.pullNumber,
    prefix: settings.commandPrefix,
    now,
  });
  await github.createComment(event.pullNumber, body);
  const unreadable = ledgers.filter((l) => !l.ok).length;
  return {
    phase: 'ignored',
    environment: name,
    message: `Reported the status of ${name}${unreadable ? ` (${unreadable} server(s) could not be read)` : ''}.`,
    summary: body,
  };
}
