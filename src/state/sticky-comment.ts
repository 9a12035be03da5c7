// One status comment per PR, found by its hidden marker and updated in place.
// Only comments written by a bot account count as ours, so a person pasting the marker
// cannot make us edit (or trust) their comment.
import { GitHubNotFoundError } from '../github/errors.js';
import type { GitHubPort, IssueComment } from '../github/port.js';

export const STICKY_MARKER = '<!-- deploy-request:status -->';
const DATA_PREFIX = '<!-- deploy-request:data ';

/** Small facts a later run needs and GitHub has no field for (e.g. which head SHA was handed over). */
export interface StickyData {
  handedOverSha?: string;
}

export function findSticky(comments: IssueComment[]): IssueComment | undefined {
  return comments.find((c) => c.userIsBot && c.body.startsWith(STICKY_MARKER));
}

export function readStickyData(comment: IssueComment | undefined): StickyData {
  if (!comment) return {};
  const start = comment.body.indexOf(DATA_PREFIX);
  if (start < 0) return {};
  const end = comment.body.indexOf(' -->', start);
  try {
    const json = comment.body.slice(start + DATA_PREFIX.length, end).replace(/\\u002d/g, '-');
    const data = JSON.parse(json) as StickyData;
    return typeof data === 'object' && data !== null ? data : {};
  } catch {
    return {};
  }
}

export function stickyBody(markdown: string, data: StickyData): string {
  const hidden = JSON.stringify(data).replace(/-/g, '\\u002d');
  return `${STICKY_MARKER}\n${DATA_PREFIX}${hidden} -->\n${markdown}`;
}

/** Creates or updates the sticky comment; a comment deleted meanwhile (404) is recreated. */
export async function upsertSticky(
  github: Pick<GitHubPort, 'createComment' | 'updateComment'>,
  pullNumber: number,
  existing: IssueComment | undefined,
  body: string,
): Promise<void> {
  if (existing) {
    if (existing.body === body) return;
    try {
      await github.updateComment(existing.id, body);
      return;
    } catch (error) {
      if (!(error instanceof GitHubNotFoundError)) throw error;
    }
  }
  await github.createComment(pullNumber, body);
}
