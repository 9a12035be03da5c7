// What every resource slice of the port (pulls.ts, comments.ts, …) is built from: the client,
// the repository, and the one write-once guard of this run.
import type { GitHubClient } from './client.js';
import type { RepoRef } from './port.js';
import type { WriteOnce } from './write-once.js';

export interface PortContext {
  client: GitHubClient;
  /** `{ owner, repo }`, spread into every request. */
  repo: RepoRef;
  writeOnce: WriteOnce;
}

/** GitHub refuses descriptions over 140 characters (statuses and deployment statuses) with 422. */
export function truncate(text: string, max = 140): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
