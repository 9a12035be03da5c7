// The deployment engine's public surface.
export { ArtifactError, prepareArtifact } from './artifact.js';
export type { PrepareArtifactOptions, PreparedArtifact } from './artifact.js';
export { deployToServer, rollbackEnv } from './deploy-server.js';
export { makeReleaseId, isReleaseId } from './release-id.js';
export { releaseRemoteLock } from './remote-lock.js';
export type { LockRelease } from './remote-lock.js';
export { rollbackServer } from './rollback-server.js';
export { rollout } from './rollout.js';
export { rollbackRollout } from './rollback-rollout.js';
export type { RollbackRolloutOptions, RollbackRolloutResult } from './rollback-rollout.js';
export { revertServer, switchServer } from './switch-release.js';
export type { RevertInput, SwitchInput, SwitchResult } from './switch-release.js';
export type { RolloutOptions } from './rollout.js';
export { nextRolloutStep, planBatches } from './rollout-plan.js';
export type { RolloutPolicy, RolloutState, RolloutStep } from './rollout-plan.js';
export type * from './types.js';
