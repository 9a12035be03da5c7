// After approval, in a trusted run: configure the servers and check the preset conditions over
// SSH; when every server passes, create the deployment task (Deployment `queued`) and ask the
// requester to confirm the exact plan by its digest. Reporting is here; refusing is the caller's.
import { requestDigest, DIGEST_SHOWN } from '../confirm/digest.js';
import { ENVIRONMENT_CONTEXT } from '../domain/status-contexts.js';
import { checkEnvironment } from '../environment/check-environment.js';
import { pullCheckFor } from '../environment/pull-checks.js';
import type { ServerEnvironmentResult } from '../environment/types.js';
import { buildPlan } from '../request/plan.js';
import { loadSshLibrary } from '../ssh/load-library.js';
import { renderConfirmation } from '../report/confirmation-view.js';
import { holdSentence } from '../report/hold-view.js';
import { emergencyNote } from '../report/emergency-view.js';
import { readHold } from '../state/environment-hold.js';
import {
  deployedOrRunning,
  listPrompts,
  openPrompt,
  type DeployedOrRunning,
} from '../state/prompts.js';
import type { Outcome } from '../edge/outcome.js';
import { publishStatus } from './publish-status.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { VerifiedRequest } from './verify-request.js';
import { readPolicyFacts, type PolicyReading } from './policy-facts.js';
import { windowView } from './window-gate.js';

/**
 * `already-done` when this very plan has been deployed or is deploying (invariant 5): before the
 * checks, or because a /confirm started or finished it while they ran. A new prompt then would
 * let the same plan deploy a second time, so none opens and nothing is reported here.
 */
export type EnvironmentStepResult =
  | { kind: 'reported'; outcome: Outcome }
  | { kind: 'already-done'; done: DeployedOrRunning }
  /** A policy gate cannot be met as configured (e.g. require_checks on a url artifact). */
  | { kind: 'refused'; reason: string };

export async function runEnvironmentStep(
  ctx: RunContext,
  v: VerifiedRequest,
): Promise<EnvironmentStepResult> {
  const { github, settings } = ctx;
  const { pull, request, environment } = v;
  const plan = buildPlan(request, v.config);
  // The policy gates first: no server is touched for a plan they stop (red CI, for one).
  const policy = await readPolicyFacts(ctx, v);
  if (policy.refusal) return { kind: 'refused', reason: policy.refusal };
  const requiredChecks = policy.requiredChecks;
  if (requiredChecks && !requiredChecks.passed)
    return { kind: 'reported', outcome: await reportChecksFailed(ctx, v, requiredChecks) };
  const digest = requestDigest(request, environment, pull.headSha, v.configSha, policy.facts);
  const key = await trustedKey(ctx);
  const trust = key.state;
  const done = await deployedOrRunning(github, trust, request.environment, {
    pr: pull.number,
    sha: pull.headSha,
    digest,
  });
  if (done) return { kind: 'already-done', done };
  const { createSshConnector } = await loadSshLibrary();
  const results = await checkEnvironment({
    servers: plan.servers,
    provision: environment.provision,
    checks: environment.checks,
    parallel: environment.deploy.parallel,
    connector: createSshConnector({
      privateKey: key.privateKey,
      servers: environment.servers,
    }),
    log: ctx.log,
    pull: await pullCheckFor(environment.deploy.transfer, request.artifact, (tag, name) =>
      github.findReleaseAsset(tag, name),
    ),
  });
  const failed = results.filter((r) => !r.passed);
  const base = { requestFile: v.file, environment: request.environment };

  if (failed.length > 0) {
    await github.setStatus(pull.headSha, {
      context: ENVIRONMENT_CONTEXT,
      state: 'failure',
      description: `${failed.length} of ${results.length} servers failed: ${failed.map((f) => f.server).join(', ')}`,
      targetUrl: settings.runUrl,
    });
    const summary = await publishStatus(
      ctx,
      pull.number,
      v.sticky,
      {
        phase: 'checks-failed',
        requestFile: v.file,
        request,
        approval: v.approval,
        environment: results,
        nextStep: [
          'fix the servers (or the config on the default branch), then comment ',
          { code: `${settings.commandPrefix}recheck` },
          '.',
        ],
        headSha: pull.headSha,
      },
      v.data,
    );
    const message = `Environment checks failed on ${failed.map((f) => describeFailure(f)).join('; ')}.`;
    return { kind: 'reported', outcome: { ...base, phase: 'checks-failed', message, summary } };
  }

  await github.setStatus(pull.headSha, {
    context: ENVIRONMENT_CONTEXT,
    state: 'success',
    description: `${results.length} server${results.length === 1 ? '' : 's'} provisioned and checked`,
    targetUrl: settings.runUrl,
  });
  const [existing] = await listPrompts(github, trust, request.environment, pull.headSha, {
    pr: pull.number,
    digest,
    newestOnly: true,
  });
  if (existing && (existing.githubState === 'success' || existing.state === 'in_progress')) {
    // A deployment of this very plan started (or finished) while the checks ran.
    const state = existing.state === 'in_progress' ? 'in_progress' : 'success';
    return { kind: 'already-done', done: { id: existing.deploymentId, state } };
  }
  const reuse = existing && existing.state === 'queued' ? existing : undefined;
  // Shown, not enforced, here: /confirm is judged against the windows when it arrives.
  const window = windowView(request.environment, environment.windows, ctx.now());
  // Shown, not enforced, here: /confirm refuses while a hold stands, and it may be lifted first.
  const hold = (await readHold(github, trust, request.environment, ctx.now())) ?? undefined;
  const expiresAt =
    reuse?.expiresAt ??
    new Date(ctx.now().getTime() + environment.confirm.within_hours * 3_600_000).toISOString();
  let deploymentId = reuse?.deploymentId;
  if (deploymentId === undefined) {
    deploymentId = await openPrompt(github, trust, {
      sha: pull.headSha,
      environment: request.environment,
      payload: {
        pr: pull.number,
        requestFile: v.file,
        digest,
        application: request.application,
        release: request.release,
        expiresAt,
        ...(policy.facts.checks ? { checks: policy.facts.checks } : {}),
      },
      description: `${request.application} ${request.release} (PR #${pull.number})`,
      logUrl: settings.runUrl,
    });
    await github.createComment(
      pull.number,
      renderConfirmation({
        plan,
        digest,
        expiresAt,
        requester: pull.author,
        prefix: settings.commandPrefix,
        results,
        approvers: v.approval.approvers,
        headSha: pull.headSha,
        hold,
        window,
        requiredChecks,
        ...(v.emergency && environment.emergency
          ? { emergency: { emergency: v.emergency, policy: environment.emergency } }
          : {}),
      }),
    );
  }
  const summary = await publishStatus(
    ctx,
    pull.number,
    v.sticky,
    {
      phase: 'awaiting-confirmation',
      requestFile: v.file,
      request,
      approval: v.approval,
      environment: results,
      requiredChecks,
      notes: [
        ...(v.emergency ? [emergencyNote(v.emergency)] : []),
        ...(hold ? [holdSentence(hold, settings.commandPrefix)] : []),
      ],
      ...(window ? { window: window.line } : {}),
      nextStep: [
        { mention: pull.author },
        ' confirms with ',
        { code: `${settings.commandPrefix}confirm ${digest.slice(0, DIGEST_SHOWN)}` },
        ` before ${expiresAt}.`,
      ],
      headSha: pull.headSha,
    },
    v.data,
  );
  return {
    kind: 'reported',
    outcome: {
      ...base,
      phase: 'awaiting-confirmation',
      digest,
      deploymentId,
      message: `Servers ready; waiting for ${pull.author} to confirm.`,
      summary,
    },
  };
}

/** Named checks not (yet) green: the servers stay untouched; /recheck once CI finishes. */
async function reportChecksFailed(
  ctx: RunContext,
  v: VerifiedRequest,
  checks: NonNullable<PolicyReading['requiredChecks']>,
): Promise<Outcome> {
  const { settings } = ctx;
  const { pull, request } = v;
  const notGreen = checks.checks
    .filter((c) => c.state !== 'success')
    .map((c) => `${c.name} (${c.state})`)
    .join(', ');
  await ctx.github.setStatus(pull.headSha, {
    context: ENVIRONMENT_CONTEXT,
    state: 'failure',
    description: `Required checks not passed on ${checks.commit.slice(0, 7)}: ${notGreen}`,
    targetUrl: settings.runUrl,
  });
  const summary = await publishStatus(
    ctx,
    pull.number,
    v.sticky,
    {
      phase: 'checks-failed',
      requestFile: v.file,
      request,
      approval: v.approval,
      requiredChecks: checks,
      nextStep: [
        'no server was touched. Once CI finishes (or is fixed) on ',
        { code: checks.commit.slice(0, 7) },
        ', comment ',
        { code: `${settings.commandPrefix}recheck` },
        '.',
      ],
      headSha: pull.headSha,
    },
    v.data,
  );
  return {
    requestFile: v.file,
    environment: request.environment,
    phase: 'checks-failed',
    message: `Required checks have not passed on ${checks.commit.slice(0, 7)} (${checks.what}): ${notGreen}.`,
    summary,
  };
}

function describeFailure(result: ServerEnvironmentResult): string {
  if (result.error) return result.error;
  const checks = result.checks
    .filter((c) => !c.passed && !c.info)
    .map((c) => `${c.name} (expected ${c.expected}, got ${c.actual})`);
  const items = result.provision
    .filter((p) => p.status === 'failed')
    .map((p) => `provision ${p.target}`);
  return `${result.server}: ${[...items, ...checks].join(', ')}`;
}
