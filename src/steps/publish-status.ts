// The one place a run writes its status comment: sticky comment on the PR (created or updated)
// plus the same Markdown for the job summary.
import type { IssueComment } from '../github/port.js';
import { renderStatusComment, type StatusView } from '../report/status-view.js';
import { stickyBody, upsertSticky, type StickyData } from '../state/sticky-comment.js';
import type { RunContext } from '../edge/run-context.js';
import type { Phase } from '../domain/phase.js';
import type { Inline } from '../report/markdown.js';
import type { VerifiedRequest } from './verify-request.js';

export async function publishStatus(
  ctx: RunContext,
  pullNumber: number,
  sticky: IssueComment | undefined,
  view: StatusView,
  data: StickyData,
): Promise<string> {
  const markdown = renderStatusComment(view);
  await upsertSticky(ctx.github, pullNumber, sticky, stickyBody(markdown, data));
  return markdown;
}

/** The status comment of a verified request: its file, request and approvals at the head commit. */
export function publishRequestStatus(
  ctx: RunContext,
  v: VerifiedRequest,
  phase: Phase,
  nextStep: Inline[],
): Promise<string> {
  const { pull } = v;
  return publishStatus(
    ctx,
    pull.number,
    v.sticky,
    {
      phase,
      requestFile: v.file,
      request: v.request,
      approval: v.approval,
      nextStep,
      headSha: pull.headSha,
    },
    v.data,
  );
}

/** Link to a line of a file at a commit, for annotations in comments. */
export function lineUrl(ctx: RunContext, sha: string, file: string): (line: number) => string {
  const { serverUrl, repo } = ctx.settings;
  return (line) => `${serverUrl}/${repo.owner}/${repo.repo}/blob/${sha}/${file}#L${line}`;
}
