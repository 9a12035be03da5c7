// The port's pull requests as plain data: the pull request, its files across pages, its reviews
// in order, and review requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubAccessError, type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('pull requests', () => {
  it('a pull request as plain data, with requested reviewers', async () => {
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    await port.requestReviewers(number, ['alice'], ['ops']);
    const pull = await port.getPull(number);
    expect(pull).toEqual({
      number,
      state: 'open',
      merged: false,
      draft: false,
      author: 'dev',
      authorIsBot: false,
      headSha,
      headRepoFullName: gh.fullName,
      baseSha: gh.branch('main'),
      baseRef: 'main',
      htmlUrl: expect.stringContaining(`/pull/${number}`),
      requestedUsers: ['alice'],
      requestedTeams: ['ops'],
    });
  });

  it('missing lists and a deleted fork: empty lists, null head repository; bot authors', async () => {
    const { number } = gh.openPull({ author: 'renovate[bot]', headFiles: { 'x.txt': 'x' } });
    const live = await port.getPull(number);
    expect(live.authorIsBot).toBe(true);
    gh.inject({
      method: 'GET',
      path: `/pulls/${number}`,
      status: 200,
      body: {
        number,
        state: 'closed',
        merged: null,
        draft: undefined,
        user: { login: 'someone', type: 'User' },
        head: { sha: 'h', repo: null },
        base: { sha: 'b', ref: 'main' },
        html_url: 'u',
      },
    });
    expect(await port.getPull(number)).toMatchObject({
      state: 'closed',
      merged: false,
      draft: false,
      authorIsBot: false,
      headRepoFullName: null,
      requestedUsers: [],
      requestedTeams: [],
    });
  });

  it('all files of a large pull request, across pages', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 130 }, (_, i) => [`f/${String(i).padStart(3, '0')}.txt`, `${i}`]),
    );
    const { number } = gh.openPull({ author: 'dev', headFiles: files });
    const listed = await port.listPullFiles(number);
    expect(listed).toHaveLength(130);
    expect(listed[0]).toEqual({
      filename: 'f/000.txt',
      status: 'added',
      previousFilename: undefined,
    });
    expect(gh.count({ path: `/pulls/${number}/files` })).toBe(2);
  });

  it('reviews in order; a deleted user is ghost; missing commit and time are empty', async () => {
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.review(number, 'alice', 'APPROVED');
    gh.review(number, 'ci[bot]', 'COMMENTED');
    const reviews = await port.listReviews(number);
    expect(reviews.map((r) => [r.user, r.userIsBot, r.state, r.commitId])).toEqual([
      ['alice', false, 'APPROVED', headSha],
      ['ci[bot]', true, 'COMMENTED', headSha],
    ]);
    expect(reviews[0]!.submittedAt).toMatch(/^\d{4}-/);
    gh.inject({
      method: 'GET',
      path: `/pulls/${number}/reviews`,
      status: 200,
      body: [{ id: 1, user: null, state: 'APPROVED', commit_id: null }],
    });
    expect(await port.listReviews(number)).toEqual([
      { id: 1, user: 'ghost', userIsBot: false, state: 'APPROVED', commitId: '', submittedAt: '' },
    ]);
  });

  it('review requests: nothing to ask is no call; a 403 names the permission', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.clearCalls();
    await port.requestReviewers(number, [], []);
    expect(gh.count()).toBe(0);
    const readOnly = portFor(gh.tokens.readOnly);
    const error = await readOnly.requestReviewers(number, ['alice'], []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect((error as Error).message).toMatch(
      /^GitHub refused to request reviewers \(403: .+\)\. The workflow needs `permissions: pull-requests: write`/,
    );
  });
});
