// Steps of the approval flow for the e2e tests: open a deploy request PR, submit reviews and run
// the bundled action on the resulting events, read the statuses the gate sets.
import type { GitHubStandIn, ReviewStateInput } from '../support/github-stand-in/index.js';
import { pullRequestEvent, pullRequestReviewEvent } from '../support/events.js';
import { CONFIG_TEXT, REQUEST_PATH, REQUEST_TEXT, run } from './scenario.js';

export const VALIDATE = 'deploy-request/validate';
export const APPROVAL = 'deploy-request/approval';

/** Opens a PR adding the valid request (no run). */
export function openRequest(
  gh: GitHubStandIn,
  o: { author?: string; draft?: boolean } = {},
): { number: number; headSha: string } {
  return gh.openPull({
    author: o.author ?? 'dev',
    draft: o.draft,
    headFiles: { [REQUEST_PATH]: REQUEST_TEXT },
  });
}

/** Runs the action on a `pull_request` event for PR `number` as it is now. */
export function pullRun(
  gh: GitHubStandIn,
  action: 'opened' | 'synchronize' | 'ready_for_review',
  number: number,
) {
  return run(gh, { eventName: 'pull_request', payload: pullRequestEvent(gh, action, number) });
}

/**
 * Records reviews on the current head, then runs the action once, on the `submitted` event of
 * the last one (the earlier ones stand for events whose runs changed nothing that matters here).
 */
export function reviewRun(
  gh: GitHubStandIn,
  number: number,
  reviews: ReadonlyArray<
    readonly [user: string, state: ReviewStateInput, o?: { unchecked?: boolean }]
  >,
  inputs: Record<string, string | undefined> = {},
) {
  const ids = reviews.map(([user, state, o]) => gh.review(number, user, state, o));
  return run(gh, {
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, ids[ids.length - 1]!),
    inputs,
  });
}

/** The newest status of `context` on `sha` (state and description). */
export function statusOf(gh: GitHubStandIn, sha: string, context: string) {
  const status = gh.combinedStatus(sha).statuses.find((s) => s.context === context);
  return status && { state: status.state, description: status.description };
}

/** The config fixture with the staging stages replaced (YAML lines under `stages:`). */
export function configWithStagingStages(stages: string): string {
  const start = CONFIG_TEXT.indexOf('      stages:\n');
  const end = CONFIG_TEXT.indexOf('    provision:', start);
  if (start < 0 || end < 0) throw new Error('config fixture changed: no staging stages found');
  return `${CONFIG_TEXT.slice(0, start)}      stages:\n${stages}${CONFIG_TEXT.slice(end)}`;
}
