// pull_request closed: the request is withdrawn. The sticky comment says so.
import type { PullRequestInfo } from '../github/port.js';
import { findSticky, readStickyData } from '../report/sticky-comment.js';
import type { Outcome } from './outcome.js';
import { publishStatus } from './publish.js';
import type { RunContext } from './run-context.js';

export async function handleClosed(ctx: RunContext, pull: PullRequestInfo): Promise<Outcome> {
  const sticky = findSticky(await ctx.github.listComments(pull.number));
  if (!sticky) return { phase: 'ignored', message: 'No deploy request on this pull request.' };
  const summary = await publishStatus(
    ctx,
    pull.number,
    sticky,
    {
      phase: 'cancelled',
      refusal: `The pull request was ${pull.merged ? 'merged' : 'closed'}; the deploy request is withdrawn.`,
      nextStep: ['open a new pull request with a new request file to deploy again.'],
    },
    readStickyData(sticky),
  );
  return {
    phase: 'cancelled',
    message: 'The pull request was closed; request withdrawn.',
    summary,
  };
}
