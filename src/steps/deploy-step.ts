// The deployment itself, once /confirm passed every guard and the environment lock is ours:
// artifact on the runner, then the rollout over SSH. Returns the rollout; reporting is the caller's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArtifactFeed, type ArtifactFeed } from '../deploy/artifact-feed.js';
import { deployToServer } from '../deploy/deploy-server.js';
import { makeReleaseId } from '../deploy/release-id.js';
import { rollbackServer } from '../deploy/rollback-server.js';
import { rollout } from '../deploy/rollout.js';
import type { RolloutResult } from '../deploy/types.js';
import { buildPlan } from '../request/plan.js';
import { createSshConnector } from '../ssh/connector.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { RunContext } from '../edge/run-context.js';
import { workspaceHead } from '../edge/workspace-head.js';
import type { VerifiedRequest } from './verify-request.js';

export interface DeployRun {
  releaseId: string;
  rollout: RolloutResult;
  artifactSha256: string;
}

export interface Prepared {
  artifact: ArtifactFeed;
  /** Removes the artifact's temp directory. */
  dispose(): Promise<void>;
}

/**
 * The artifact on the runner, verified, before anything moves, or (a large download) opened and
 * checked as far as its request and announced size go, its bytes then streaming to the first
 * batch: a failure here touches no server and leaves the prompt open (the caller refuses without
 * burning it). A streamed artifact that turns out wrong fails the rollout before any unpack.
 */
export async function prepareDeployment(ctx: RunContext, v: VerifiedRequest): Promise<Prepared> {
  const tempDir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'deploy-request-'));
  let artifact: ArtifactFeed | undefined;
  const dispose = () => {
    artifact?.abort();
    return rm(tempDir, { recursive: true, force: true });
  };
  try {
    artifact = await openArtifactFeed(v.request.artifact, {
      requestFile: v.file,
      workspace: ctx.settings.workspace,
      artifactDir: ctx.settings.artifactDir,
      workspaceSha: (await workspaceHead(ctx.settings.workspace)) ?? 'no git checkout',
      headSha: v.pull.headSha,
      tempDir,
      findAsset: (tag, name) => ctx.github.findReleaseAsset(tag, name),
    });
    ctx.log.info(
      artifact.streaming
        ? `Artifact: ${artifact.size} bytes streaming to the servers as they download; sha256 ${artifact.sha256} is verified on the runner and on every server before anything is unpacked.`
        : `Artifact ready: ${artifact.size} bytes, sha256 ${artifact.sha256}.`,
    );
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
  { artifact }: Prepared,
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
  const connector = createSshConnector({
    privateKey: trustedKey(ctx).privateKey,
    servers: environment.servers,
  });
  const lockStaleMinutes = environment.lock.stale_after_minutes;
  const result = await rollout({
    servers: plan.servers,
    deploy: environment.deploy,
    connect: (server) => connector.connect(server),
    artifactFile: artifact.file,
    artifactFeed: artifact,
    deployOne: (session, log, artifactStream) =>
      deployToServer(session, {
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
