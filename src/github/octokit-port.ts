// GitHubPort over the real REST client, composed from one slice per resource (contents.ts,
// pulls.ts, comments.ts, statuses.ts, deployments.ts, refs.ts, commits.ts, actions.ts, teams.ts,
// checks.ts, issues.ts).
// Every call throws its failures as the domain errors of errors.ts, with refusals naming the
// permission to grant; the writes GitHub must not apply twice are safe to retry (write-once.ts).
import { actionsPort } from './actions.js';
import { checksPort } from './checks.js';
import type { GitHubClient } from './client.js';
import { commentsPort } from './comments.js';
import { commitsPort } from './commits.js';
import { contentsPort } from './contents.js';
import { deploymentsPort } from './deployments.js';
import { withDomainErrors } from './errors.js';
import { issuesPort } from './issues.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort, RepoRef } from './port.js';
import { pullsPort } from './pulls.js';
import { refsPort } from './refs.js';
import { statusesPort } from './statuses.js';
import { teamsPort } from './teams.js';
import { createWriteOnce } from './write-once.js';

export interface PortOptions {
  /** How long to give GitHub after a 5xx on a write before looking whether it happened. */
  settleMs?: number;
}

/** `membersClient` (the `members-token`) reads team members; without it, `client` does. */
export function createGitHubPort(
  client: GitHubClient,
  { owner, repo }: RepoRef,
  membersClient?: GitHubClient,
  { settleMs = 1000 }: PortOptions = {},
): GitHubPort {
  const context: PortContext = {
    client,
    repo: { owner, repo },
    writeOnce: createWriteOnce(settleMs),
  };
  const port: GitHubPort = {
    ...contentsPort(context),
    ...pullsPort(context),
    ...commentsPort(context),
    ...statusesPort(context),
    ...deploymentsPort(context),
    ...refsPort(context),
    ...commitsPort(context),
    ...actionsPort(context),
    ...checksPort(context),
    ...issuesPort(context),
    ...teamsPort(membersClient ?? client),
  };
  return withDomainErrors(port);
}
