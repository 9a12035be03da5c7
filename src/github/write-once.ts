// Writes GitHub must not apply twice (a comment, a Deployment, the lock ref, a dispatch). GitHub
// sometimes does the write and still answers 502/504, and a blind retry would duplicate it: such
// a write goes out without the client's retries, and after a 5xx we look before sending it again.
import { GitHubUnavailableError } from './errors.js';

/** The client's per-request option (client.ts): no blind retries, `writeOnce` decides. */
export const NO_RETRY = { retries: 0 };

/**
 * Sends `attempt` once; after a 5xx, waits `settleMs` and asks `findExisting` whether the write
 * happened among what was created since `since` (GitHub's time when this run began, in ms). What
 * it finds is adopted; if nothing, the write is sent once more (a second failure is thrown).
 */
export type WriteOnce = <T>(
  attempt: () => Promise<T>,
  findExisting: (since: number) => Promise<T | undefined>,
) => Promise<T>;

/** `started` is performance.now() when the run began. */
export function createWriteOnce(settleMs: number, started = performance.now()): WriteOnce {
  return async (attempt, findExisting) => {
    try {
      return await attempt();
    } catch (error) {
      // A 5xx, as client.ts names it once the client's retries are spent (none for these writes).
      if (!(error instanceof GitHubUnavailableError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      // GitHub's clock in the 5xx answer less the time this run has taken (the runner's clock may
      // be off, its elapsed time is not), less a second for whole-second timestamps. Without a
      // `date` header, the runner's clock.
      const answered = Date.parse(error.date ?? '');
      const since =
        (Number.isNaN(answered) ? Date.now() : answered) - (performance.now() - started) - 1000;
      return (await findExisting(since)) ?? (await attempt());
    }
  };
}
