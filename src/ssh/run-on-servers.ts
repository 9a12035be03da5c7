// Runs one piece of work per server with bounded parallelism; logs one group per server.
import type { ServerConfig } from '../config/types.js';
import { Semaphore } from './semaphore.js';
import type { SshError } from './types.js';

/** What the action's logger offers (core.startGroup/endGroup + core.info), kept injectable. */
export interface RunLog {
  group(name: string, lines: string[]): void;
  info(line: string): void;
}

/** Lines for the server's group; printed together when the server is done, never interleaved. */
export interface ServerLog {
  info(line: string): void;
}

export type ServerOutcome<T> =
  | { server: ServerConfig; ok: true; value: T; ms: number }
  | { server: ServerConfig; ok: false; error: SshError | Error; ms: number };

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export async function runOnServers<T>(
  servers: ServerConfig[],
  parallel: number,
  fn: (server: ServerConfig, log: ServerLog) => Promise<T>,
  log: RunLog,
): Promise<Array<ServerOutcome<T>>> {
  const limit = new Semaphore(Math.max(1, Math.floor(parallel) || 1));
  const started = performance.now();
  const outcomes = await Promise.all(
    servers.map((server) =>
      limit.run(async (): Promise<ServerOutcome<T>> => {
        const lines: string[] = [];
        const t0 = performance.now();
        let outcome: ServerOutcome<T>;
        try {
          const value = await fn(server, { info: (line) => lines.push(line) });
          outcome = { server, ok: true, value, ms: performance.now() - t0 };
        } catch (raw) {
          const error = raw instanceof Error ? raw : new Error(String(raw));
          outcome = { server, ok: false, error, ms: performance.now() - t0 };
          lines.push(`error: ${error.message}`);
        }
        const verdict = outcome.ok ? 'done' : 'failed';
        log.group(`${server.name}: ${verdict} in ${formatMs(outcome.ms)}`, lines);
        return outcome;
      }),
    ),
  );
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  log.info(
    `${servers.length} server(s), ${parallel} at a time: ${servers.length - failed} done, ` +
      `${failed} failed, ${formatMs(performance.now() - started)} in all`,
  );
  return outcomes;
}
