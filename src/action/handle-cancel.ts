// /cancel and pull_request closed: the request is withdrawn. Its open prompt becomes inactive and
// a lock this PR holds is released (never someone else's).
import { releaseEnvironmentLock } from '../confirm/environment-lock.js';
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
): Promise<Outcome> {
  const { github, settings } = ctx;
  const sticky = findSticky(await github.listComments(pull.number));
  const defaultBranch = settings.defaultBranch ?? (await github.getDefaultBranch());
  const resolution = await resolveRequest(
    github,
    pull,
    settings.repo,
    settings.configPath,
    defaultBranch,
  );
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
      await releaseEnvironmentLock(github, environment, pull.headSha);
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
