// /confirm <digest> on a rollback prompt: the guards of invariant 4 (who: rollback.allowed, not
// only the requester), then exactly one rollback (invariant 5) under the environment lock: no
// upload, every server switched to the plan's release or every switched server back.
import { decideConfirm } from '../confirm/decide-confirm.js';
import { rollbackDigest } from '../confirm/digest.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import { readLedgers } from '../ledger/read-ledgers.js';
import { holdSentence } from '../report/hold-view.js';
import { plainText, type Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import { renderRollbackResult, type RollbackServerRow } from '../report/rollback-view.js';
import { buildPlan } from '../request/plan.js';
import { checkPlan } from '../rollback/select-release.js';
import type { RollbackPromptRecord } from '../state/deployment-record.js';
import { readHold } from '../state/environment-hold.js';
import { acquireEnvironmentLock, releaseEnvironmentLock } from '../state/environment-lock.js';
import { refreshPrompt, setPromptState } from '../state/prompts.js';
import { publishRequestStatus } from './publish-status.js';
import { rollbackRefusal } from './rollback-offer.js';
import { rollbackEnvironment, type RollbackRun } from './rollback-step.js';
import type { VerifiedRequest } from './verify-request.js';

/** One row per server started: a server switched back after a later failure says so. */
export function rollbackRows(
  run: RollbackRun,
  expected: Record<string, string>,
): RollbackServerRow[] {
  return run.results.map((r) => {
    const revert = run.reverts.find((b) => b.server === r.server);
    const switchedBack = r.switchedBack || (revert?.rolledBack ?? false);
    return {
      server: r.server,
      // After a failed run a server still on the target (its switch back failed) is no success.
      ok: run.ok && r.ok && !switchedBack,
      from: expected[r.server],
      switched: r.switched,
      switchedBack,
      health: r.health,
      durationMs: r.durationMs,
      error:
        r.error ?? (revert && !revert.ok ? `switching back failed: ${revert.error}` : undefined),
    };
  });
}

export async function confirmRollback(
  ctx: RunContext,
  v: VerifiedRequest,
  prompt: RollbackPromptRecord,
  commenter: string,
  typedDigest: string,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const { pull, request, environment } = v;
  const trust = (await trustedKey(ctx)).state;
  const command = `${settings.commandPrefix}confirm`;
  const target = prompt.rollbackTo;
  const base = {
    requestFile: v.file,
    environment: request.environment,
    digest: prompt.digest,
    deploymentId: prompt.deploymentId,
  };
  const refuse = async (reason: Inline[] | string): Promise<Outcome> => {
    const parts = typeof reason === 'string' ? [reason] : reason;
    await github.createComment(pull.number, refusalReply(command, parts));
    return { ...base, phase: 'refused', message: `${command} refused: ${plainText(parts)}` };
  };

  /** A plan that can never run any more is withdrawn (inactive), so nobody tries it again. */
  const closePlan = (text: string) =>
    setPromptState(github, trust, prompt.deploymentId, 'inactive', {
      text,
      logUrl: settings.runUrl,
    });

  const notAllowed = await rollbackRefusal(ctx, environment, commenter);
  if (notAllowed) return refuse(notAllowed);
  const decision = decideConfirm({
    commenter,
    requesters: [commenter],
    typedDigest,
    currentDigest: rollbackDigest({
      environment: request.environment,
      target,
      expected: prompt.expected,
      configSha: v.configSha,
      headSha: pull.headSha,
    }),
    prompt: {
      deploymentId: prompt.deploymentId,
      digest: prompt.digest,
      expiresAt: prompt.expiresAt,
      state: prompt.githubState,
    },
    now: ctx.now(),
    prefix: settings.commandPrefix,
    renew: `${settings.commandPrefix}rollback`,
  });
  if (!decision.ok) {
    if (decision.expired) await closePlan('Rollback plan expired');
    return refuse(decision.reason);
  }
  const hold = await readHold(github, trust, request.environment, ctx.now());
  if (hold)
    return refuse([
      'nothing was rolled back and the plan stays open: ',
      ...holdSentence(hold, settings.commandPrefix),
    ]);
  const lock = await acquireEnvironmentLock(
    github,
    trust,
    request.environment,
    pull.headSha,
    environment.lock.stale_after_minutes,
    ctx.now(),
  );
  if (!lock.acquired)
    return refuse(
      lock.heldBySelf
        ? 'a deployment or rollback of this pull request is already in progress.'
        : `environment \`${request.environment}\` is locked by ${lock.holder}; confirm again when it is released.`,
    );
  try {
    if (lock.tookOverFrom)
      ctx.log.warning(
        `Took over a stale lock of ${request.environment} from ${lock.tookOverFrom}.`,
      );
    // Re-read under the lock: a concurrent /confirm may have run this plan meanwhile.
    const current = await refreshPrompt(github, trust, prompt);
    if (current?.githubState !== 'queued')
      return refuse(
        `this rollback is already ${current?.githubState ?? 'gone'}; nothing runs twice.`,
      );
    const servers = buildPlan(request, v.config).servers;
    // Read again under the lock: the plan must still fit, and the abandoned releases' entries
    // are kept whole when they are marked bad.
    const ledgers = await readLedgers(ctx, environment, servers);
    const fits = checkPlan(ledgers, target, prompt.expected, settings.commandPrefix);
    if (!fits.ok) {
      if (fits.stale) await closePlan('Rollback plan out of date');
      return refuse(fits.reason);
    }
    await setPromptState(github, trust, prompt.deploymentId, 'in_progress', {
      text: `Rolling back to ${target}`,
      logUrl: settings.runUrl,
    });
    const abandoned = Object.fromEntries(
      ledgers.map((l) => [
        l.server,
        l.ok ? l.releases.find((r) => r.id === prompt.expected[l.server]) : undefined,
      ]),
    );
    // The target's own version label, for activate and the health check (older entries lack it).
    const label = ledgers.flatMap((l) => (l.ok ? l.releases : [])).find((r) => r.id === target)
      ?.meta?.release;
    const run = await rollbackEnvironment(
      ctx,
      environment,
      servers,
      {
        environment: request.environment,
        target,
        expected: prompt.expected,
        abandoned,
        env: {
          APPLICATION: request.application,
          ENVIRONMENT: request.environment,
          ...(label ? { RELEASE: label } : {}),
        },
      },
      prompt.digest,
      { login: commenter, pr: pull.number },
    );
    const ok = run.ok;
    const result = ok ? `Rolled back to ${target}` : `Rollback to ${target} failed`;
    await setPromptState(github, trust, prompt.deploymentId, ok ? 'success' : 'failure', {
      text: result,
      logUrl: settings.runUrl,
      environmentUrl: environment.deploy.environment_url,
    });
    const body = renderRollbackResult({
      ok,
      application: request.application,
      environment: request.environment,
      target,
      rows: rollbackRows(run, prompt.expected),
      untouched: run.untouched,
      reason: run.reason,
      runUrl: settings.runUrl,
    });
    await github.createComment(pull.number, body);
    await publishRequestStatus(
      ctx,
      v,
      ok ? 'deployed' : 'deploy-failed',
      ok
        ? [`${request.environment} runs release `, { code: target }, ' again.']
        : ['see the rollback result comment for where each server stands.'],
    );
    return {
      ...base,
      phase: ok ? 'deployed' : 'deploy-failed',
      result,
      message: ok ? `${result}.` : `${result}. ${run.reason ?? ''}`.trim(),
      summary: body,
    };
  } finally {
    await releaseEnvironmentLock(github, request.environment, pull.headSha);
  }
}
