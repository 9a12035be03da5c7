// A repository on the GitHub stand-in with the trusted config on main, and helpers to open deploy
// request PRs and run the bundled action on their events.
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { GitHubStandIn, type StandInOptions } from '../support/github-stand-in/index.js';
import { runAction, type RunActionOptions } from '../support/run-action.js';
import { CONFIG_PATH, REQUEST_PATH, repoFiles, TEAMS } from '../support/fixtures.js';

export { CONFIG_PATH, REQUEST_PATH };
export const CONFIG_TEXT = readFileSync(
  new URL('../fixtures/config/valid.yml', import.meta.url),
  'utf8',
);
export const REQUEST_TEXT = readFileSync(
  new URL('../fixtures/requests/valid.yml', import.meta.url),
  'utf8',
);

const open: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gh) => gh.close()));
});

export async function repoWithConfig(
  config = CONFIG_TEXT,
  options: StandInOptions = {},
): Promise<GitHubStandIn> {
  const gh = new GitHubStandIn({
    // The shipped workflow is on main, as a user commits it: hand-overs dispatch it.
    files: repoFiles(config),
    teams: TEAMS,
    ...options,
  });
  await gh.start();
  open.push(gh);
  return gh;
}

/** Runs dist/index.js with the members token set, as the README's workflow does. */
export function run(gh: GitHubStandIn, options: Omit<RunActionOptions, 'gh'>) {
  return runAction({
    gh,
    ...options,
    inputs: { 'members-token': gh.tokens.members, ...options.inputs },
  });
}

export function stickyOf(gh: GitHubStandIn, pr: number): string {
  const sticky = gh.comments(pr).filter((c) => c.body.startsWith('<!-- deploy-request:status -->'));
  if (sticky.length !== 1) throw new Error(`expected one sticky comment, found ${sticky.length}`);
  return sticky[0]!.body;
}
