// Rolls a release out in batches, at most `parallel` servers at once; after a batch with too many
// failures no further batch starts, and (with rollback_on_failure) every server switched in this
// deployment goes back. Decisions come from nextRolloutStep (rollout-plan.ts).
import type { Readable } from 'node:stream';
import type { ServerConfig } from '../config/types.js';
import type { RunLog, ServerLog } from '../ssh/run-on-servers.js';
import { runBatch, switchBackEach, type Connect } from './server-batch.js';
import type { ServerSession } from '../ssh/types.js';
import type { ArtifactFeed } from './artifact-feed.js';
import { nextRolloutStep, planBatches } from './rollout-plan.js';
import { shareArtifact, type SharedArtifact } from './shared-artifact.js';
import type {
  DeployConfigForRollout,
  RolloutResult,
  ServerDeployResult,
  ServerRollbackResult,
} from './types.js';

export interface RolloutOptions {
  servers: ServerConfig[];
  deploy: DeployConfigForRollout;
  connect: Connect;
  /**
   * Read once per batch and shared by the batch's servers when they all run at once (else each
   * server reads it): deployOne then gets its branch to pass on as artifactStream.
   */
  artifactFile?: string;
  /**
   * The artifact still downloading (openArtifactFeed): the first batch takes its bytes as they
   * arrive when its servers all run at once; any later batch waits until the file is complete
   * and verified, and none starts when it was not.
   */
  artifactFeed?: Pick<ArtifactFeed, 'streaming' | 'stream' | 'ready'>;
  /** Deploys on one server; reports failures in its result rather than throwing. */
  deployOne: (
    session: ServerSession,
    log: ServerLog,
    artifact?: Readable,
  ) => Promise<ServerDeployResult>;
  /** Switches one server back to result.previousRelease (rollbackServer). */
  rollbackOne: (
    session: ServerSession,
    result: ServerDeployResult,
    log: ServerLog,
  ) => Promise<ServerRollbackResult>;
  log: RunLog;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failedDeploy(server: string, error: string, ms: number): ServerDeployResult {
  return {
    server,
    ok: false,
    releaseId: '',
    switched: false,
    rolledBack: false,
    health: 'skipped',
    durationMs: ms,
    error,
    steps: [{ name: 'connect', ms }],
  };
}

export async function rollout(opts: RolloutOptions): Promise<RolloutResult> {
  const { deploy, log } = opts;
  const byName = new Map(opts.servers.map((server) => [server.name, server]));
  const batches = planBatches(opts.servers, deploy.batch_size);
  const names = batches.map((batch) => batch.map((server) => server.name));
  const results: ServerDeployResult[] = [];
  const policy = {
    maxFailedServers: deploy.max_failed_servers,
    rollbackOnFailure: deploy.rollback_on_failure,
  };

  const feed = opts.artifactFeed;
  // The artifact's own failure (a download cut or not the request's bytes) ends the rollout.
  const artifactFailure = async (): Promise<RolloutResult | undefined> => {
    const reason = await feed?.ready().then(
      () => undefined,
      (error: unknown) => message(error),
    );
    if (reason === undefined) return undefined;
    log.info(reason);
    const done = new Set(results.map((r) => r.server));
    const switched = results.filter((r) => r.switched && !r.rolledBack);
    return {
      ok: false,
      stopped: true,
      reason,
      batches: names,
      results,
      untouched: opts.servers.map((s) => s.name).filter((name) => !done.has(name)),
      rollbacks: policy.rollbackOnFailure ? await rollBack(opts, switched, byName) : [],
    };
  };

  for (let completed = 0; ; completed++) {
    if (feed && !feed.streaming) {
      const stop = await artifactFailure();
      if (stop) return stop;
    }
    const failed = results.filter((r) => !r.ok).map((r) => r.server);
    const switched = results.filter((r) => r.switched && !r.rolledBack).map((r) => r.server);
    const step = nextRolloutStep({ batches: names, completed, failed, switched }, policy);
    if (step.kind === 'done') {
      return {
        ok: failed.length === 0,
        stopped: false,
        batches: names,
        results,
        untouched: [],
        rollbacks: [],
      };
    }
    if (step.kind === 'stop') {
      log.info(step.reason);
      const targets = step.rollback.map((name) => results.find((r) => r.server === name)!);
      const rollbacks = await rollBack(opts, targets, byName);
      return {
        ok: false,
        stopped: true,
        reason: step.reason,
        batches: names,
        results,
        untouched: step.untouched,
        rollbacks,
      };
    }
    log.info(`batch ${step.index + 1} of ${names.length}: ${step.servers.join(', ')}`);
    const batch = step.servers.map((name) => byName.get(name)!);
    let shared: SharedArtifact | undefined;
    if (feed?.streaming && deploy.parallel >= step.servers.length) {
      shared = feed.stream(step.servers);
    } else {
      const stop = feed?.streaming ? await artifactFailure() : undefined;
      if (stop) return stop;
      shared = sharedRead(opts.artifactFile, step.servers, deploy.parallel);
    }
    results.push(
      ...(await runBatch(batch, {
        ...opts,
        parallel: deploy.parallel,
        what: 'deploy',
        one: (session, server, serverLog) =>
          opts.deployOne(session, serverLog, shared?.branch(server.name)),
        failed: failedDeploy,
        done: (server) => shared?.release(server.name),
      })),
    );
  }
}

/** A shared read needs every server of the batch running at once: a waiting one would stall it. */
function sharedRead(
  file: string | undefined,
  names: string[],
  parallel: number,
): SharedArtifact | undefined {
  if (file === undefined || names.length < 2 || parallel < names.length) return undefined;
  return shareArtifact(file, names);
}

async function rollBack(
  opts: RolloutOptions,
  targets: ServerDeployResult[],
  byName: Map<string, ServerConfig>,
): Promise<ServerRollbackResult[]> {
  if (targets.length === 0) return [];
  opts.log.info(`rolling back ${targets.map((t) => t.server).join(', ')}`);
  const targetOf = (server: ServerConfig) => targets.find((t) => t.server === server.name)!;
  return switchBackEach(
    targets.map((target) => byName.get(target.server)!),
    {
      ...opts,
      parallel: opts.deploy.parallel,
      refuse: (server) => {
        const target = targetOf(server);
        return target.previousRelease
          ? undefined
          : `no previous release to go back to: current stays on ${target.releaseId}`;
      },
    },
    (session, server, log) => opts.rollbackOne(session, targetOf(server), log),
  );
}
