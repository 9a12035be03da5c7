// What the deployment engine takes and reports, per server and for a whole rollout.
import type { Readable } from 'node:stream';
import type { DeployConfig } from '../config/types.js';
import type { ServerLog } from '../ssh/run-on-servers.js';
import type { PullSource } from './pull-artifact-script.js';

/**
 * The request's facts in a release's ledger entry (<release>/.deploy-request.json, see
 * src/ledger/ledger-entry.ts): where a release came from, readable on the server. The engine adds
 * release_id, server, result, bad, bad_reason and finished_at.
 */
export interface ReleaseMetadata {
  application: string;
  /** The application's version label from the request. */
  release: string;
  environment: string;
  /** The request file in the repository, e.g. deploy-requests/web.yml. */
  request_file: string;
  /** The confirmed plan digest. */
  digest: string;
  head_sha: string;
  pull_request: number;
  requester: string;
  approvers: string[];
  /** Lowercase hex SHA-256 of the artifact. */
  artifact_sha256: string;
  /** ISO 8601, the runner's clock when the deployment started. */
  started_at: string;
  /** = started_at, kept for readers of older entries. */
  deployed_at: string;
  /** Set for a break-glass deployment (/emergency): its reason and who switched. */
  emergency?: { reason: string; by: string };
}

export interface ServerDeployInput {
  /** The artifact on the runner (a .tar.gz), already verified by prepareArtifact. */
  artifactFile: string;
  /** This server's branch of a read shared by its batch (shareArtifact); else artifactFile is read. */
  artifactStream?: Readable;
  /**
   * Pull mode (deploy.transfer: pull): the server downloads the artifact from this URL itself;
   * artifactFile and artifactStream are not read, and size is not known (0).
   */
  pull?: PullSource;
  /** Lowercase hex SHA-256 of artifactFile: verified again on the server before use. */
  sha256: string;
  size: number;
  deploy: DeployConfig;
  /** makeReleaseId(): the same for every server of one deployment. */
  releaseId: string;
  /** The confirmed plan digest: owner of the remote lock, so a re-run of it may re-enter. */
  digest: string;
  metadata: ReleaseMetadata;
  /**
   * Exported (single-quoted) for before_activate, activate and health_check: request variables
   * plus built-ins (RELEASE, APPLICATION, ENVIRONMENT, DIGEST). RELEASE_DIR is always set by
   * the engine to the absolute release directory as the server resolves it.
   */
  env: Record<string, string>;
  /** A lock older than this may be taken over (environment lock.stale_after_minutes). */
  lockStaleMinutes?: number; // default 120
  log?: ServerLog;
}

export interface StepTiming {
  name: string;
  ms: number;
}

export type HealthOutcome = 'passed' | 'failed' | 'skipped';

export interface ServerDeployResult {
  server: string;
  ok: boolean;
  releaseId: string;
  /** The release `current` pointed to before the switch (the rollback target). */
  previousRelease?: string;
  /** `current` was switched to the new release (true also when that cannot be ruled out). */
  switched: boolean;
  /** The server itself went back to previousRelease after a failure. */
  rolledBack: boolean;
  health: HealthOutcome;
  durationMs: number;
  /** Names the step, e.g. "verify: SHA-256 on the server is …"; command output truncated. */
  error?: string;
  steps: StepTiming[];
}

export interface ServerRollbackInput {
  deploy: DeployConfig;
  digest: string;
  /** The release this deployment switched to: only a `current` pointing there is switched back. */
  releaseId: string;
  previousRelease: string;
  env: Record<string, string>;
  /**
   * Why the release switched away from is bad (a deployment's rollout that stopped): written
   * into its ledger entry. None for a rollback's revert, which leaves the entry as it is.
   */
  badReason?: string;
  lockStaleMinutes?: number;
  log?: ServerLog;
}

export interface ServerRollbackResult {
  server: string;
  ok: boolean;
  /** `current` now points to the previous release again. */
  rolledBack: boolean;
  durationMs: number;
  error?: string;
  steps: StepTiming[];
}

export interface RolloutResult {
  /** Every targeted server deployed and the rollout was not stopped. */
  ok: boolean;
  /** More than max_failed_servers failed: no further batch started. */
  stopped: boolean;
  reason?: string;
  batches: string[][];
  /** One per server that was started, in rollout order. */
  results: ServerDeployResult[];
  /** Servers of batches that never started: nothing was done there. */
  untouched: string[];
  /** Servers switched back by the rollout after it stopped (earlier batches included). */
  rollbacks: ServerRollbackResult[];
}

export type DeployConfigForRollout = Pick<
  DeployConfig,
  'parallel' | 'batch_size' | 'max_failed_servers' | 'rollback_on_failure'
>;
