// Work on a set of servers, each over its own session, `parallel` at once, for the rollout and
// the rollback: a batch of deployments or switches, and switching servers back after a stop.
// Every failure (no connection, a throw) becomes a result; nothing here throws.
import type { ServerConfig } from '../config/types.js';
import { runOnServers, type RunLog, type ServerLog } from '../ssh/run-on-servers.js';
import type { ServerSession } from '../ssh/types.js';
import type { ServerRollbackResult, StepTiming } from './types.js';

export type Connect = (server: ServerConfig) => Promise<ServerSession>;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connects, runs work, always closes; a connection failure is returned, not thrown. */
export async function withSession<T>(
  connect: Connect,
  server: ServerConfig,
  work: (session: ServerSession, connectMs: number) => Promise<T>,
  refused: (error: string, connectMs: number) => T,
): Promise<T> {
  const t0 = performance.now();
  let session: ServerSession;
  try {
    session = await connect(server);
  } catch (error) {
    return refused(`connect: ${message(error)}`, Math.round(performance.now() - t0));
  }
  try {
    return await work(session, Math.round(performance.now() - t0));
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Runs `one` on every server of a batch, its connection time as the first step; a server that
 * cannot be reached, or whose `one` throws (a bug: then nothing is known to have happened), gets
 * `failed(server, error, ms)`. `done` runs for every server, whatever happened.
 */
export async function runBatch<T extends { steps: StepTiming[] }>(
  servers: ServerConfig[],
  opts: {
    parallel: number;
    connect: Connect;
    log: RunLog;
    /** Prefixes the error of a throw: "deploy: …". */
    what: string;
    one: (session: ServerSession, server: ServerConfig, log: ServerLog) => Promise<T>;
    failed: (server: string, error: string, ms: number) => T;
    done?: (server: ServerConfig) => void;
  },
): Promise<T[]> {
  const outcomes = await runOnServers(
    servers,
    opts.parallel,
    (server, serverLog) =>
      withSession(
        opts.connect,
        server,
        async (session, connectMs) => {
          const result = await opts.one(session, server, serverLog);
          result.steps.unshift({ name: 'connect', ms: connectMs });
          return result;
        },
        (error, ms) => {
          serverLog.info(`error: ${error}`);
          return opts.failed(server.name, error, ms);
        },
      ).finally(() => opts.done?.(server)),
    opts.log,
  );
  return outcomes.map((outcome) =>
    outcome.ok
      ? outcome.value
      : opts.failed(outcome.server.name, `${opts.what}: ${outcome.error.message}`, outcome.ms),
  );
}

function failedRollback(server: string, error: string, ms = 0): ServerRollbackResult {
  return { server, ok: false, rolledBack: false, durationMs: ms, error, steps: [] };
}

/**
 * Switches servers back, `parallel` at once: connects, runs `one`, always closes. A server that
 * `refuse` gives a reason for is not connected to.
 */
export async function switchBackEach(
  servers: ServerConfig[],
  opts: {
    parallel: number;
    connect: Connect;
    log: RunLog;
    refuse?: (server: ServerConfig) => string | undefined;
  },
  one: (
    session: ServerSession,
    server: ServerConfig,
    log: ServerLog,
  ) => Promise<ServerRollbackResult>,
): Promise<ServerRollbackResult[]> {
  const outcomes = await runOnServers(
    servers,
    opts.parallel,
    (server, serverLog) => {
      const refused = opts.refuse?.(server);
      if (refused !== undefined) {
        serverLog.info(refused);
        return Promise.resolve(failedRollback(server.name, refused));
      }
      return withSession(
        opts.connect,
        server,
        (session) => one(session, server, serverLog),
        (error, ms) => {
          serverLog.info(`rollback error: ${error}`);
          return failedRollback(server.name, error, ms);
        },
      );
    },
    opts.log,
  );
  return outcomes.map((outcome) =>
    outcome.ok
      ? outcome.value
      : failedRollback(outcome.server.name, `rollback: ${outcome.error.message}`, outcome.ms),
  );
}
