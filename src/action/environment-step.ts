// After approval, in a trusted run: configure the servers and check the preset conditions over
// SSH; when every server passes, create the deployment task (Deployment `queued`) and ask the
// requester to confirm the exact plan by its digest.
import { requestDigest, DIGEST_SHOWN } from '../confirm/digest.js';
import { checkEnvironment } from '../environment/check-environment.js';
import type { ServerEnvironmentResult } from '../environment/types.js';
import type { Deployment } from '../github/port.js';
import { buildPlan } from '../request/plan.js';
import { renderConfirmation } from '../report/confirmation-view.js';
import { createSshConnector } from '../ssh/connector.js';
import { parsePrivateKey } from '../ssh/private-key.js';
import type { Outcome } from './outcome.js';
import { publishStatus } from './publish.js';
import type { RunContext } from './run-context.js';
import { SetupError } from './settings.js';
import type { VerifiedRequest } from './trusted-run.js';

export const ENVIRONMENT_CONTEXT = 'deploy-request/environment';

export interface PromptPayload {
  pr: number;
  requestFile: string;
  digest: string;
  application: string;
  release: string;
  expiresAt: string;
}

/** The queued deployment (our confirmation prompt) of this PR for this digest, if any. */
export function findPrompt(
  deployments: Deployment[],
  pr: number,
  digest?: string,
): Deployment | undefined {
  return deployments
    .filter((d) => d.payload.pr === pr && (digest === undefined || d.payload.digest === digest))
    .sort((a, b) => b.id - a.id)[0];
}

export function sshConnectorFor(ctx: RunContext, v: VerifiedRequest) {
  const { sshPrivateKey, sshPassphrase } = ctx.settings;
  if (!sshPrivateKey) {
    throw new SetupError(
      'Input `ssh-private-key` is empty: this trusted run needs the deployment key. Pass `ssh-private-key: ${{ secrets.DEPLOY_SSH_KEY }}` in the job bound to your deployment environment.',
    );
  }
  const parsed = parsePrivateKey(sshPrivateKey, sshPassphrase);
  if (!parsed.ok) throw new SetupError(`Input \`ssh-private-key\`: ${parsed.message}`);
  return createSshConnector({ privateKey: parsed, servers: v.environment.servers });
}

/**
 * A deployment of this PR for this exact plan that has run or is running (invariant 5): a re-run
 * of the hand-over or a /recheck must not open a new prompt for it, or the same /confirm would
 * deploy it a second time.
 */
export async function deployedOrRunning(
  github: RunContext['github'],
  environment: string,
  pull: VerifiedRequest['pull'],
  digest: string,
): Promise<AlreadyDone | undefined> {
  const mine = (await github.listDeployments(environment, pull.headSha))
    .filter((d) => d.payload.pr === pull.number && d.payload.digest === digest)
    .sort((a, b) => b.id - a.id);
  for (const deployment of mine) {
    const state = (await github.latestDeploymentStatus(deployment.id))?.state;
    if (state === 'success' || state === 'in_progress') return { id: deployment.id, state };
  }
  return undefined;
}

export type AlreadyDone = { id: number; state: 'success' | 'in_progress' };

/** Why no new prompt opens for a plan that has been deployed or is deploying (invariant 5). */
export function alreadyDoneReason(done: AlreadyDone): string {
  return done.state === 'success'
    ? `this plan has already been deployed (deployment ${done.id}); nothing is deployed twice. Open a new request to deploy again.`
    : `a deployment of this plan is in progress (deployment ${done.id}); wait for its result.`;
}

/**
 * `refuse` answers when, while the checks ran, a /confirm started or finished deploying this very
 * plan: a new prompt then would let the same plan deploy a second time.
 */
export async function runEnvironmentStep(
  ctx: RunContext,
  v: VerifiedRequest,
  refuse: (done: AlreadyDone) => Promise<Outcome>,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const { pull, request, environment } = v;
  const plan = buildPlan(request, v.config);
  const digest = requestDigest(request, environment, pull.headSha, v.configSha);
  const results = await checkEnvironment({
    servers: plan.servers,
    provision: environment.provision,
    checks: environment.checks,
    parallel: environment.deploy.parallel,
    connector: sshConnectorFor(ctx, v),
    log: ctx.log,
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
    return {
      ...base,
      phase: 'checks-failed',
      message: `Environment checks failed on ${failed.map((f) => describeFailure(f)).join('; ')}.`,
      summary,
    };
  }

  await github.setStatus(pull.headSha, {
    context: ENVIRONMENT_CONTEXT,
    state: 'success',
    description: `${results.length} server${results.length === 1 ? '' : 's'} provisioned and checked`,
    targetUrl: settings.runUrl,
  });
  const existing = findPrompt(
    await github.listDeployments(request.environment, pull.headSha),
    pull.number,
    digest,
  );
  const existingState = existing
    ? ((await github.latestDeploymentStatus(existing.id))?.state ?? null)
    : null;
  if (existing && (existingState === 'success' || existingState === 'in_progress')) {
    return refuse({ id: existing.id, state: existingState });
  }
  let deployment = existing && existingState === 'queued' ? existing : undefined;
  const expiresAt = deployment
    ? String(deployment.payload.expiresAt)
    : new Date(ctx.now().getTime() + environment.confirm.within_hours * 3_600_000).toISOString();
  if (!deployment) {
    const payload: PromptPayload = {
      pr: pull.number,
      requestFile: v.file,
      digest,
      application: request.application,
      release: request.release,
      expiresAt,
    };
    deployment = await github.createDeployment({
      ref: pull.headSha,
      environment: request.environment,
      payload: { ...payload },
      description: `${request.application} ${request.release} (PR #${pull.number})`,
    });
    await github.createDeploymentStatus(deployment.id, 'queued', {
      description: 'Waiting for /confirm',
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
    ...base,
    phase: 'awaiting-confirmation',
    digest,
    deploymentId: deployment.id,
    message: `Servers ready; waiting for ${pull.author} to confirm.`,
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
