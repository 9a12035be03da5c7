// The deployment itself, once /confirm passed every guard and the environment lock is ours:
// artifact on the runner, then the rollout over SSH. Returns the rollout; reporting is the caller's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareArtifact } from '../deploy/artifact.js';
import { deployToServer } from '../deploy/deploy-server.js';
import { makeReleaseId } from '../deploy/release-id.js';
import { rollbackServer } from '../deploy/rollback-server.js';
import { rollout } from '../deploy/rollout.js';
import type { RolloutResult } from '../deploy/types.js';
import { buildPlan } from '../request/plan.js';
import { sshConnectorFor } from './environment-step.js';
import type { RunContext } from './run-context.js';
import { workspaceHead } from './workspace-head.js';
import type { VerifiedRequest } from './trusted-run.js';

export interface DeployRun {
  releaseId: string;
  rollout: RolloutResult;
  artifactSha256: string;
}

export async function runDeployment(
  ctx: RunContext,
  v: VerifiedRequest,
  digest: string,
): Promise<DeployRun> {
  const { request, environment, pull } = v;
  const plan = buildPlan(request, v.config);
  const tempDir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'deploy-request-'));
  try {
    const artifact = await prepareArtifact(request.artifact, {
      workspace: ctx.settings.workspace,
      artifactDir: ctx.settings.artifactDir,
      workspaceSha: (await workspaceHead(ctx.settings.workspace)) ?? 'no git checkout',
      headSha: pull.headSha,
      tempDir,
      fetchAsset: (tag, name, dest) => ctx.github.downloadReleaseAsset(tag, name, dest),
    });
    ctx.log.info(`Artifact ready: ${artifact.size} bytes, sha256 ${artifact.sha256}.`);
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
    const connector = sshConnectorFor(ctx, v);
    const lockStaleMinutes = environment.lock.stale_after_minutes;
    const result = await rollout({
      servers: plan.servers,
      deploy: environment.deploy,
      connect: (server) => connector.connect(server),
      artifactFile: artifact.file,
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
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}
