// The sticky status comment: found only among bot comments by its marker, hidden data round-trips
// (and survives a hostile or broken body), updated in place or recreated when deleted.
import { describe, expect, it, vi } from 'vitest';
import { GitHubNotFoundError, GitHubUnavailableError } from '../../../src/github/errors.js';
import type { IssueComment } from '../../../src/github/port.js';
import {
  findSticky,
  readStickyData,
  STICKY_MARKER,
  stickyBody,
  upsertSticky,
} from '../../../src/state/sticky-comment.js';

const comment = (o: Partial<IssueComment>): IssueComment => ({
  id: 1,
  user: 'github-actions[bot]',
  userIsBot: true,
  body: '',
  createdAt: '',
  updatedAt: '',
  ...o,
});

describe('findSticky', () => {
  it('only a bot comment that starts with the marker', () => {
    const pasted = comment({
      id: 1,
      user: 'mallory',
      userIsBot: false,
      body: `${STICKY_MARKER}\nx`,
    });
    const quoted = comment({ id: 2, body: `> ${STICKY_MARKER}` });
    const ours = comment({ id: 3, body: `${STICKY_MARKER}\nstatus` });
    expect(findSticky([pasted, quoted, ours])?.id).toBe(3);
    expect(findSticky([pasted, quoted])).toBeUndefined();
  });
});

describe('hidden data', () => {
  it('round-trips, and a `-->` inside a value cannot close the HTML comment early', () => {
    const data = { handedOverSha: 'abc --> <b>x</b>' };
    const body = stickyBody('# md', data);
    expect(body.startsWith(`${STICKY_MARKER}\n<!-- deploy-request:data `)).toBe(true);
    expect(body.indexOf('-->', STICKY_MARKER.length)).toBe(body.indexOf(' -->\n# md') + 1);
    expect(readStickyData(comment({ body }))).toEqual(data);
  });

  it('no comment, no data block, broken JSON or a non-object: empty data', () => {
    expect(readStickyData(undefined)).toEqual({});
    expect(readStickyData(comment({ body: STICKY_MARKER }))).toEqual({});
    expect(readStickyData(comment({ body: '<!-- deploy-request:data {nope -->' }))).toEqual({});
    expect(readStickyData(comment({ body: '<!-- deploy-request:data null -->' }))).toEqual({});
    expect(readStickyData(comment({ body: '<!-- deploy-request:data 7 -->' }))).toEqual({});
  });
});

describe('upsertSticky', () => {
  const port = () => ({
    createComment: vi.fn(async () => comment({ id: 9 })),
    updateComment: vi.fn(async () => {}),
  });

  it('creates when there is none', async () => {
    const github = port();
    await upsertSticky(github, 5, undefined, 'body');
    expect(github.createComment).toHaveBeenCalledWith(5, 'body');
    expect(github.updateComment).not.toHaveBeenCalled();
  });

  it('updates in place; writes nothing when the body is the same', async () => {
    const github = port();
    await upsertSticky(github, 5, comment({ id: 3, body: 'old' }), 'new');
    expect(github.updateComment).toHaveBeenCalledWith(3, 'new');
    await upsertSticky(github, 5, comment({ id: 3, body: 'new' }), 'new');
    expect(github.updateComment).toHaveBeenCalledTimes(1);
    expect(github.createComment).not.toHaveBeenCalled();
  });

  it('a comment deleted meanwhile (404) is recreated; other errors propagate', async () => {
    const github = port();
    github.updateComment.mockRejectedValueOnce(new GitHubNotFoundError('Not Found', 404));
    await upsertSticky(github, 5, comment({ id: 3, body: 'old' }), 'new');
    expect(github.createComment).toHaveBeenCalledWith(5, 'new');
    github.updateComment.mockRejectedValueOnce(new GitHubUnavailableError('boom', 500));
    await expect(upsertSticky(github, 5, comment({ id: 3, body: 'old' }), 'new')).rejects.toThrow(
      'boom',
    );
  });
});
