// /confirm <digest>: every guard of invariant 4, then exactly one deployment (invariant 5) under
// the environment lock, reported per server on the Deployment, the PR and the job summary.
import { decideConfirm, type ConfirmPrompt } from '../confirm/decide-confirm.js';
import { requestDigest } from '../confirm/digest.js';
import { ArtifactError } from '../deploy/artifact.js';
import { DEPLOY_CONTEXT } from '../domain/status-contexts.js';
import { acquireEnvironmentLock, releaseEnvironmentLock } from '../state/environment-lock.js';
import { renderDeployResult } from '../report/deploy-result-view.js';
import { holdSentence } from '../report/hold-view.js';
import { plainText, type Inline } from '../report/markdown.js';
import { refusalReply } from '../report/replies.js';
import { readHold } from '../state/environment-hold.js';
import { listPrompts, refreshPrompt, setPromptState, type TrustedState } from '../state/prompts.js';
import { isRollbackPrompt, type PromptRecord } from '../state/deployment-record.js';
import { prepareDeployment, runDeployment, type Prepared } from '../steps/deploy-step.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { Outcome } from '../edge/outcome.js';
import { publishRequestStatus } from '../steps/publish-status.js';
import type { RunContext } from '../edge/run-context.js';
import { verifyRequest } from '../steps/verify-request.js';
import { windowGate } from '../steps/window-gate.js';
import { readPolicyFacts } from '../steps/policy-facts.js';
import { checksChange } from '../policy/required-checks.js';
import { confirmRollback } from '../steps/rollback-confirm.js';
import { followUpEmergency } from '../steps/emergency-follow-up.js';

export async function handleConfirm(
  ctx: RunContext,
  pullNumber: number,
  commenter: string,
  typedDigest: string,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const command = `${settings.commandPrefix}confirm`;
  const refuse = async (
    reason: string | Inline[],
    extra: Partial<Outcome> = {},
  ): Promise<Outcome> => {
    const parts = typeof reason === 'string' ? [reason] : reason;
    await github.createComment(pullNumber, refusalReply(command, parts));
    return { phase: 'refused', message: `${command} refused: ${plainText(parts)}`, ...extra };
  };

  const verification = await verifyRequest(ctx, pullNumber);
  // The deployment key's state signer: only trusted runs have it, and /confirm is one.
  const trust = async (): Promise<TrustedState> => (await trustedKey(ctx)).state;
  const pull = verification.ok ? verification.verified.pull : verification.pull;
  let prompt: ConfirmPrompt | undefined;
  let record: PromptRecord | undefined;
  let currentDigest = '';
  let requesters = [pull.author];
  let policyRefusal: string | undefined;
  let digestChange: string | undefined;
  if (verification.ok) {
    const { request, environment } = verification.verified;
    requesters = [pull.author, ...environment.confirm.requesters];
    const [newest] = await listPrompts(github, await trust(), request.environment, pull.headSha, {
      pr: pull.number,
      newestOnly: true,
    });
    record = newest;
    // A rollback plan has guards and a run of its own (src/steps/rollback-confirm.ts).
    if (newest && isRollbackPrompt(newest))
      return confirmRollback(ctx, verification.verified, newest, commenter, typedDigest);
    // The policy facts are read again, as the prompt read them: a moved tag or a check that
    // changed voids the digest, and the prompt's copy of them says which.
    const policy = await readPolicyFacts(ctx, verification.verified);
    policyRefusal = policy.refusal;
    currentDigest = requestDigest(
      request,
      environment,
      pull.headSha,
      verification.verified.configSha,
      policy.facts,
    );
    digestChange = checksChange(newest?.checks, policy.facts.checks, policy.requiredChecks?.tag);
    if (newest) {
      prompt = {
        deploymentId: newest.deploymentId,
        digest: newest.digest,
        expiresAt: newest.expiresAt,
        state: newest.githubState,
      };
    }
  }
  const decision = decideConfirm({
    commenter,
    requesters,
    typedDigest,
    verificationFailure: verification.ok ? policyRefusal : verification.reason,
    currentDigest,
    digestChange,
    prompt,
    now: ctx.now(),
    prefix: settings.commandPrefix,
  });
  if (!decision.ok) {
    if (decision.expired && prompt) {
      await setPromptState(github, await trust(), prompt.deploymentId, 'inactive', {
        text: 'Confirmation prompt expired',
        logUrl: settings.runUrl,
      });
    }
    return refuse(decision.reason);
  }
  // decideConfirm says go only without a verificationFailure, i.e. when verification.ok: the
  // guard below narrows the type and cannot refuse.
  /* v8 ignore start -- @preserve */
  if (!verification.ok) return refuse(verification.reason);
  /* v8 ignore stop -- @preserve */
  const v = verification.verified;
  const { request, environment } = v;
  const deploymentId = decision.prompt.deploymentId;
  const base = {
    requestFile: v.file,
    environment: request.environment,
    digest: currentDigest,
    deploymentId,
  };

  // Deployment windows and freezes (by GitHub's clock); the prompt stays open for later.
  const outsideWindow = windowGate(ctx, v);
  if (outsideWindow)
    return refuse(['nothing was deployed and the prompt stays open: ', ...outsideWindow], base);

  // An operator's hold (/lock) stops every deployment there; the prompt stays open for later.
  const hold = await readHold(github, await trust(), request.environment, ctx.now());
  if (hold) {
    return refuse(
      [
        'nothing was deployed and the prompt stays open: ',
        ...holdSentence(hold, settings.commandPrefix),
      ],
      base,
    );
  }
  const lock = await acquireEnvironmentLock(
    github,
    await trust(),
    request.environment,
    pull.headSha,
    environment.lock.stale_after_minutes,
    ctx.now(),
  );
  if (!lock.acquired) {
    return refuse(
      lock.heldBySelf
        ? 'a deployment of this pull request is already in progress.'
        : `environment \`${request.environment}\` is locked by ${lock.holder}; confirm again when it is released.`,
      base,
    );
  }
  let prepared: Prepared | undefined;
  try {
    if (lock.tookOverFrom)
      ctx.log.warning(
        `Took over a stale lock of ${request.environment} from ${lock.tookOverFrom}.`,
      );
    // Re-read under the lock: a concurrent /confirm may have deployed this prompt meanwhile.
    // decideConfirm said go, so there is a prompt: `record` is the one it judged.
    const current = await refreshPrompt(github, await trust(), record!);
    const state = current?.githubState ?? null;
    if (state !== 'queued')
      return refuse(
        state === 'success'
          ? 'this plan has already been deployed; nothing is deployed twice.'
          : `this deployment is already ${state}.`,
        base,
      );
    // The artifact first: a refusal before any server is touched leaves the prompt open.
    try {
      prepared = await prepareDeployment(ctx, v);
    } catch (error) {
      if (!(error instanceof ArtifactError)) throw error;
      return refuse(`nothing was deployed and the prompt stays open: ${error.message}`, base);
    }
    await setPromptState(github, await trust(), deploymentId, 'in_progress', {
      text: `Deploying ${request.release}`,
      logUrl: settings.runUrl,
    });
    const run = await runDeployment(ctx, v, currentDigest, prepared);
    const ok = run.rollout.ok;
    const deployed = run.rollout.results.filter((r) => r.ok).length;
    const result = `${deployed}/${run.rollout.results.length + run.rollout.untouched.length} servers deployed`;
    await setPromptState(github, await trust(), deploymentId, ok ? 'success' : 'failure', {
      text: result,
      logUrl: settings.runUrl,
      environmentUrl: environment.deploy.environment_url,
    });
    await github.setStatus(pull.headSha, {
      context: DEPLOY_CONTEXT,
      state: ok ? 'success' : 'failure',
      description: `${request.release}: ${result}`,
      targetUrl: settings.runUrl,
    });
    const body = renderDeployResult({
      ok,
      application: request.application,
      release: request.release,
      environment: request.environment,
      releaseId: run.releaseId,
      rollout: run.rollout,
      runUrl: settings.runUrl,
    });
    await github.createComment(pull.number, body);
    if (v.emergency && environment.emergency)
      await followUpEmergency(ctx, v, v.emergency, environment.emergency, result);
    await publishRequestStatus(
      ctx,
      v,
      ok ? 'deployed' : 'deploy-failed',
      ok
        ? ['merge this pull request to keep the request as the record of the deployment.']
        : [
            'see the result comment; fix the cause, then comment ',
            { code: `${settings.commandPrefix}recheck` },
            ' for a new prompt.',
          ],
    );
    return {
      ...base,
      phase: ok ? 'deployed' : 'deploy-failed',
      result,
      message: ok
        ? `Deployed: ${result}.`
        : `Deployment failed: ${result}. ${run.rollout.reason ?? ''}`.trim(),
      summary: body,
    };
  } finally {
    await prepared?.dispose();
    await releaseEnvironmentLock(github, request.environment, pull.headSha);
  }
}
