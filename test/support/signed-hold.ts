// Holds (/lock) as a trusted run places them, made by a test with the run's deployment key and a
// clock of its own: a hold placed in the past, already expired, without waiting for it.
import { createClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import { placeHold, type HoldRequest } from '../../src/state/environment-hold.js';
import type { GitHubStandIn } from './github-stand-in/index.js';
import { trustOf } from './signed-state.js';

/** Places a hold signed with `privateKey`, as at `since`; fails when one stands already. */
export async function seedHold(
  gh: GitHubStandIn,
  privateKey: string,
  request: HoldRequest,
  since: Date,
): Promise<void> {
  const port = createGitHubPort(createClient({ token: gh.tokens.write, baseUrl: gh.url }), {
    owner: gh.owner,
    repo: gh.repo,
  });
  const placed = await placeHold(port, trustOf(gh, privateKey), request, since);
  if (!placed.placed) throw new Error(`a hold stands already: ${JSON.stringify(placed.held)}`);
}
