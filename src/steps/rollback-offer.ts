// What a /rollback needs to know before any server is read (who may, has this PR deployed, is
// the environment moving), and the offer itself: a signed rollback prompt, the reply and the
// sticky comment.
import { rollbackDigest } from '../confirm/digest.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { Outcome } from '../edge/outcome.js';
import { renderRollbackPlan, rollbackNextStep } from '../report/rollback-view.js';
import type { RollbackStartFacts } from '../rollback/decide-rollback.js';
import { notAllowedReason, rollbackAllowed } from '../rollback/rollback-allowed.js';
import { isListed, teamsDeciding } from '../approval/listed-people.js';
import type { ReleaseLedgerMeta } from '../ledger/types.js';
import type { RollbackTarget } from '../rollback/select-release.js';
import { readHold } from '../state/environment-hold.js';
import { lockRefName } from '../state/environment-lock.js';
import { listPrompts, openPrompt, type TrustedState } from '../state/prompts.js';
import { resolveTeamMembers } from './approval-step.js';
import { publishRequestStatus } from './publish-status.js';
import type { VerifiedRequest } from './verify-request.js';

/** The refusal for `commenter`, or undefined when they may roll back (teams read only if needed). */
export async function rollbackRefusal(
  ctx: RunContext,
  environment: EnvironmentConfig,
  commenter: string,
): Promise<string | undefined> {
  const allowed = rollbackAllowed(environment);
  const teams = await resolveTeamMembers(ctx.github, teamsDeciding(allowed.entries, commenter));
  return isListed(allowed.entries, commenter, teams)
    ? undefined
    : notAllowedReason(allowed, commenter);
}

/**
 * Who holds the deploy lock while a deployment runs there. A lock whose deployment finished is
 * left over (a cancelled run): the rollback's /confirm takes it over, so it does not refuse here.
 */
async function runningDeployment(
  ctx: RunContext,
  trust: TrustedState,
  environment: string,
  headSha: string,
): Promise<string | undefined> {
  const sha = await ctx.github.getRefSha(lockRefName(environment));
  if (sha === null) return undefined;
  if (sha === headSha) return 'this pull request';
  const [holder] = await listPrompts(ctx.github, trust, environment, sha, { newestOnly: true });
  if (!holder) return `commit ${sha.slice(0, 7)}`;
  return holder.state === 'finished' ? undefined : `pull request #${holder.pr}`;
}

export async function rollbackStartFacts(
  ctx: RunContext,
  v: VerifiedRequest,
  commenter: string,
): Promise<RollbackStartFacts> {
  const trust = (await trustedKey(ctx)).state;
  const environment = v.request.environment;
  const base = { environment, prefix: ctx.settings.commandPrefix };
  const notAllowed = await rollbackRefusal(ctx, v.environment, commenter);
  if (notAllowed) return { ...base, notAllowed, deployed: false };
  const mine = await listPrompts(ctx.github, trust, environment, undefined, { pr: v.pull.number });
  const deployed = mine.some((p) => p.kind !== 'rollback' && p.githubState === 'success');
  const [lockHolder, hold] = await Promise.all([
    runningDeployment(ctx, trust, environment, v.pull.headSha),
    readHold(ctx.github, trust, environment, ctx.now()),
  ]);
  return { ...base, deployed, lockHolder, hold: hold ?? undefined };
}

/** Opens the rollback prompt (a Deployment signed like a deployment's) and shows the plan. */
export async function offerRollback(
  ctx: RunContext,
  v: VerifiedRequest,
  selection: RollbackTarget,
  targetMeta?: ReleaseLedgerMeta,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const { pull, request, environment } = v;
  const digest = rollbackDigest({
    environment: request.environment,
    target: selection.target,
    expected: selection.expected,
    configSha: v.configSha,
    headSha: pull.headSha,
  });
  const expiresAt = new Date(
    ctx.now().getTime() + environment.confirm.within_hours * 3_600_000,
  ).toISOString();
  const deploymentId = await openPrompt(github, (await trustedKey(ctx)).state, {
    sha: pull.headSha,
    environment: request.environment,
    payload: {
      pr: pull.number,
      requestFile: v.file,
      digest,
      application: request.application,
      release: request.release,
      expiresAt,
      kind: 'rollback',
      rollbackTo: selection.target,
      expected: selection.expected,
    },
    description: `Roll back ${request.application} to ${selection.target} (PR #${pull.number})`,
    logUrl: settings.runUrl,
  });
  const view = {
    application: request.application,
    environment: request.environment,
    target: selection.target,
    expected: selection.expected,
    digest,
    expiresAt,
    prefix: settings.commandPrefix,
    was: targetMeta && {
      release: targetMeta.release,
      pullRequest: targetMeta.pull_request,
      at: targetMeta.finished_at ?? targetMeta.started_at ?? targetMeta.deployed_at,
    },
  };
  await github.createComment(pull.number, renderRollbackPlan(view));
  const summary = await publishRequestStatus(
    ctx,
    v,
    'awaiting-confirmation',
    rollbackNextStep(view),
  );
  return {
    phase: 'awaiting-confirmation',
    requestFile: v.file,
    environment: request.environment,
    digest,
    deploymentId,
    message: `Rollback to ${selection.target} offered; waiting for /confirm.`,
    summary,
  };
}
