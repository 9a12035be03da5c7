// /cancel and pull_request closed: the request is withdrawn. Its open prompt becomes inactive and,
// for /cancel, a lock this PR holds is released (never someone else's). The gate job (closed) has
// no `contents: write` and leaves the lock: its Deployment now inactive, the next /confirm of any
// request takes it over as stale.
import type { PullRequestInfo } from '../github/port.js';
import { findSticky, readStickyData } from '../report/sticky-comment.js';
import type { Outcome } from './outcome.js';
import { publishStatus } from './publish.js';
import { resolveRequest } from './resolve-request.js';
import type { RunContext } from './run-context.js';

export async function withdrawRequest(
  ctx: RunContext,
  pull: PullRequestInfo,
  why: string,
  /** Releases this PR's environment lock; only jobs with `contents: write` (operate) pass it. */
  releaseLock?: (environment: string, headSha: string) => Promise<void>,
): Promise<Outcome> {
  const { github, settings } = ctx;
  const sticky = findSticky(await github.listComments(pull.number));
  const resolution = await resolveRequest(github, pull, settings.repo, settings.configPath);
  if (!sticky && resolution.kind === 'none')
    return { phase: 'ignored', message: 'No deploy request on this pull request.' };
  let environment: string | undefined;
  if (resolution.kind === 'valid') {
    environment = resolution.request.environment;
    const deployments = (await github.listDeployments(environment)).filter(
      (d) => d.payload.pr === pull.number,
    );
    let deploying = false;
    for (const deployment of deployments) {
      const state = (await github.latestDeploymentStatus(deployment.id))?.state;
      if (state === 'in_progress') deploying = true;
      if (state === 'queued') {
        await github.createDeploymentStatus(deployment.id, 'inactive', {
          description: why.slice(0, 140),
          logUrl: settings.runUrl,
        });
      }
    }
    // Invariant 5: a deployment that is running holds the lock until it ends (its run releases
    // it); releasing it here would let another request deploy to the same servers at once.
    if (deploying) {
      why = `${why} A deployment of this request is in progress: it finishes (or rolls back) and then releases the environment lock.`;
    } else {
      await releaseLock?.(environment, pull.headSha);
    }
  }
  const summary = await publishStatus(
    ctx,
    pull.number,
    sticky,
    {
      phase: 'cancelled',
      requestFile: resolution.kind === 'valid' ? resolution.file : undefined,
      refusal: why,
      nextStep: ['open a new pull request with a new request file to deploy again.'],
    },
    readStickyData(sticky),
  );
  return {
    phase: 'cancelled',
    environment,
    requestFile: resolution.kind === 'valid' ? resolution.file : undefined,
    message: why,
    summary,
  };
}
