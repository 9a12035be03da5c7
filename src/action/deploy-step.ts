// The deployment itself, once /confirm passed every guard and the environment lock is ours:
// artifact on the runner, then the rollout over SSH. Returns the rollout; reporting is the caller's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareArtifact, type PreparedArtifact } from '../deploy/artifact.js';
import { deployToServer } from '../deploy/deploy-server.js';
import { pullable, pullLinkFor, type PullLink } from '../deploy/pull-source.js';
import { makeReleaseId } from '../deploy/release-id.js';
import { rollbackServer } from '../deploy/rollback-server.js';
import { rollout } from '../deploy/rollout.js';
import type { RolloutResult } from '../deploy/types.js';
import { buildPlan } from '../request/plan.js';
import { sshConnectorFor } from './trusted-key.js';
import type { RunContext } from './run-context.js';
import { workspaceHead } from './workspace-head.js';
import type { VerifiedRequest } from './trusted-run.js';

export interface DeployRun {
  releaseId: string;
  rollout: RolloutResult;
  artifactSha256: string;
}

export interface Prepared {
  artifact: PreparedArtifact;
  /** Pull mode: servers download the artifact themselves; the runner has no copy (file ''). */
  pull?: PullLink;
  /** Removes the artifact's temp directory. */
  dispose(): Promise<void>;
}

/**
 * The artifact on the runner, verified, before anything moves: a failure here touches no server
 * and leaves the prompt open (the caller refuses without burning it).
 */
export async function prepareDeployment(ctx: RunContext, v: VerifiedRequest): Promise<Prepared> {
  const source = v.request.artifact;
  if (v.environment.deploy.transfer === 'pull' && pullable(source)) {
    // Nothing is downloaded here: each server fetches and verifies the bytes itself.
    const pull = await pullLinkFor(source, {
      findAsset: (tag, name) => ctx.github.findReleaseAsset(tag, name),
    });
    const sha256 = source.sha256.toLowerCase();
    ctx.log.info(`Pull mode: each server downloads ${pull.what} and verifies sha256 ${sha256}.`);
    return { artifact: { file: '', sha256, size: 0 }, pull, dispose: () => Promise.resolve() };
  }
  const tempDir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'deploy-request-'));
  const dispose = () => rm(tempDir, { recursive: true, force: true });
  try {
    const artifact = await prepareArtifact(v.request.artifact, {
      workspace: ctx.settings.workspace,
      artifactDir: ctx.settings.artifactDir,
      workspaceSha: (await workspaceHead(ctx.settings.workspace)) ?? 'no git checkout',
      headSha: v.pull.headSha,
      tempDir,
      findAsset: (tag, name) => ctx.github.findReleaseAsset(tag, name),
    });
    ctx.log.info(`Artifact ready: ${artifact.size} bytes, sha256 ${artifact.sha256}.`);
    return { artifact, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

export async function runDeployment(
  ctx: RunContext,
  v: VerifiedRequest,
  digest: string,
  { artifact, pull: pullLink }: Prepared,
): Promise<DeployRun> {
  const { request, environment, pull } = v;
  const plan = buildPlan(request, v.config);
  const now = ctx.now();
  const releaseId = makeReleaseId(now, digest);
  const env: Record<string, string> = {
    ...(request.variables ?? {}),
    RELEASE: request.release,
    APPLICATION: request.application,
    ENVIRONMENT: request.environment,
    DIGEST: digest,
  };
  const metadata = {
    application: request.application,
    release: request.release,
    digest,
    head_sha: pull.headSha,
    pull_request: pull.number,
    approvers: v.approval.approvers,
    requester: pull.author,
    environment: request.environment,
    deployed_at: now.toISOString(),
  };
  const connector = sshConnectorFor(ctx, environment);
  const lockStaleMinutes = environment.lock.stale_after_minutes;
  const result = await rollout({
    servers: plan.servers,
    deploy: environment.deploy,
    connect: (server) => connector.connect(server),
    artifactFile: pullLink ? undefined : artifact.file,
    deployOne: async (session, log, artifactStream) =>
      deployToServer(session, {
        pull: await pullLink?.source(),
        artifactFile: artifact.file,
        artifactStream,
        sha256: artifact.sha256,
        size: artifact.size,
        deploy: environment.deploy,
        releaseId,
        digest,
        metadata,
        env,
        lockStaleMinutes,
        log,
      }),
    rollbackOne: (session, deployed, log) =>
      rollbackServer(session, {
        deploy: environment.deploy,
        digest,
        releaseId,
        previousRelease: deployed.previousRelease ?? '',
        env,
        lockStaleMinutes,
        log,
      }),
    log: ctx.log,
  });
  return { releaseId, rollout: result, artifactSha256: artifact.sha256 };
}
