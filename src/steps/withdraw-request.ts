// Withdrawing a request (/cancel, pull_request closed). In a trusted run (/cancel) its open
// prompt becomes inactive (a signed status) and a lock this PR holds is released (never someone
// else's). The gate (pull_request closed) holds no key: it cannot sign, so it only updates the
// status comment; the trusted run refuses every command on a closed pull request anyway.
import { releaseEnvironmentLock } from '../state/environment-lock.js';
import type { PullRequestInfo } from '../github/port.js';
import { findSticky, readStickyData } from '../state/sticky-comment.js';
import type { Outcome } from '../edge/outcome.js';
import { publishStatus } from './publish-status.js';
import { resolveRequest } from './resolve-request.js';
import type { RunContext } from '../edge/run-context.js';
import {
  listPrompts,
  markPromptsClosedUnsigned,
  setPromptState,
  type TrustedState,
} from '../state/prompts.js';

export async function withdrawRequest(
  ctx: RunContext,
  pull: PullRequestInfo,
  why: string,
  trust?: TrustedState,
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
    if (trust) why = await closePrompts(ctx, trust, environment, pull, why);
    // The gate (pull_request closed) holds no key: what it writes is for display only.
    else await markPromptsClosedUnsigned(github, environment, pull.number, why, settings.runUrl);
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

/** Marks this PR's open prompts inactive and releases its lock; returns the message to show. */
async function closePrompts(
  ctx: RunContext,
  trust: TrustedState,
  environment: string,
  pull: PullRequestInfo,
  why: string,
): Promise<string> {
  const { github, settings } = ctx;
  let deploying = false;
  for (const prompt of await listPrompts(github, trust, environment, undefined, {
    pr: pull.number,
  })) {
    if (prompt.state === 'in_progress') deploying = true;
    if (prompt.state === 'queued') {
      await setPromptState(github, trust, prompt.deploymentId, 'inactive', {
        text: why,
        logUrl: settings.runUrl,
      });
    }
  }
  // Invariant 5: a deployment that is running holds the lock until it ends (its run releases
  // it); releasing it here would let another request deploy to the same servers at once.
  if (deploying) {
    return `${why} A deployment of this request is in progress: it finishes (or rolls back) and then releases the environment lock.`;
  }
  await releaseEnvironmentLock(github, environment, pull.headSha);
  return why;
}
