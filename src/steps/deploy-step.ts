// The deployment itself, once /confirm passed every guard and the environment lock is ours:
// artifact on the runner, then the rollout over SSH. Returns the rollout; reporting is the caller's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArtifactFeed, type ArtifactFeed } from '../deploy/artifact-feed.js';
import { deployToServer } from '../deploy/deploy-server.js';
import { pullable, pullLinkFor, type PullLink } from '../deploy/pull-source.js';
import { makeReleaseId } from '../deploy/release-id.js';
import { rollbackServer } from '../deploy/rollback-server.js';
import { rollout } from '../deploy/rollout.js';
import type { ReleaseMetadata, RolloutResult } from '../deploy/types.js';
import { ROLLOUT_STOPPED_REASON } from '../ledger/ledger-entry.js';
import { buildPlan } from '../request/plan.js';
import { loadSshLibrary } from '../ssh/load-library.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { RunContext } from '../edge/run-context.js';
import { workspaceHead } from '../edge/workspace-head.js';
import type { VerifiedRequest } from './verify-request.js';

export interface DeployRun {
  releaseId: string;
  rollout: RolloutResult;
  artifactSha256: string;
}

/**
 * What the rollout takes: the artifact on the runner (push), or (deploy.transfer: pull) the link
 * each server downloads it from itself; the runner then has no copy and sends no artifact byte.
 */
export type Prepared = (
  | { artifact: ArtifactFeed; pull?: undefined }
  | { artifact?: undefined; pull: PullLink; sha256: string }
) & {
  /** Removes the artifact's temp directory (pull mode: nothing to remove). */
  dispose(): Promise<void>;
};

/**
 * The artifact on the runner, verified, before anything moves, or (a large download) opened and
 * checked as far as its request and announced size go, its bytes then streaming to the first
 * batch: a failure here touches no server and leaves the prompt open (the caller refuses without
 * burning it). A streamed artifact that turns out wrong fails the rollout before any unpack.
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
    return { pull, sha256, dispose: () => Promise.resolve() };
  }
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
  prepared: Prepared,
): Promise<DeployRun> {
  const { artifact, pull: pullLink } = prepared;
  const sha256 = artifact ? artifact.sha256 : prepared.sha256;
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
  const metadata: ReleaseMetadata = {
    application: request.application,
    release: request.release,
    environment: request.environment,
    request_file: v.file,
    digest,
    head_sha: pull.headSha,
    pull_request: pull.number,
    requester: pull.author,
    approvers: v.approval.approvers,
    artifact_sha256: sha256,
    started_at: now.toISOString(),
    deployed_at: now.toISOString(),
    // The ledger marks a break-glass deployment, with why and by whom.
    ...(v.emergency ? { emergency: { reason: v.emergency.reason, by: v.emergency.by } } : {}),
  };
  const { createSshConnector } = await loadSshLibrary();
  const connector = createSshConnector({
    privateKey: (await trustedKey(ctx)).privateKey,
    servers: environment.servers,
  });
  const lockStaleMinutes = environment.lock.stale_after_minutes;
  const result = await rollout({
    servers: plan.servers,
    deploy: environment.deploy,
    connect: (server) => connector.connect(server),
    artifactFile: artifact?.file,
    artifactFeed: artifact,
    deployOne: async (session, log, artifactStream) =>
      deployToServer(session, {
        pull: await pullLink?.source(),
        artifactFile: artifact?.file ?? '',
        artifactStream,
        sha256,
        size: artifact?.size ?? 0,
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
        badReason: ROLLOUT_STOPPED_REASON,
        lockStaleMinutes,
        log,
      }),
    log: ctx.log,
  });
  return { releaseId, rollout: result, artifactSha256: sha256 };
}
