import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('pull requests', () => {
  test('files are the diff of base and head trees: added, modified, removed, renamed', async () => {
    const { gh, octokit } = await standIn({
      files: {
        'README.md': 'hello\n',
        'keep.txt': 'k\n',
        'old.txt': 'gone\n',
        'move-me.txt': 'same\n',
      },
    });
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: {
        'deploy-requests/web.yml': 'version: 1\napplication: web\n',
        'README.md': 'hello\nworld\n',
        'old.txt': null,
        'move-me.txt': null,
        'moved.txt': 'same\n',
      },
    });
    const { data } = await octokit().rest.pulls.listFiles({ ...repo, pull_number: number });
    expect(data.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ['README.md', 'modified', 1, 0],
      ['deploy-requests/web.yml', 'added', 2, 0],
      ['moved.txt', 'renamed', 0, 0],
      ['old.txt', 'removed', 0, 1],
    ]);
    expect(data.find((f) => f.filename === 'moved.txt')?.previous_filename).toBe('move-me.txt');
  });

  test('files use the merge base: later commits on the base branch do not show', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': 'a\n' } });
    gh.commitOn('main', { 'unrelated.txt': 'x\n' });
    gh.push(number, { 'b.yml': 'b\n' });
    const files = await octokit().paginate(octokit().rest.pulls.listFiles, {
      ...repo,
      pull_number: number,
    });
    expect(files.map((f) => f.filename)).toEqual(['a.yml', 'b.yml']);
  });

  test('octokit.paginate walks Link headers across more than 100 files', async () => {
    const { gh, octokit } = await standIn();
    const headFiles = Object.fromEntries(
      Array.from({ length: 237 }, (_, i) => [
        `deploy-requests/r${String(i).padStart(3, '0')}.yml`,
        `n: ${i}\n`,
      ]),
    );
    const { number } = gh.openPull({ author: 'dev', headFiles });
    const o = octokit();
    const all = await o.paginate(o.rest.pulls.listFiles, {
      ...repo,
      pull_number: number,
      per_page: 100,
    });
    expect(all).toHaveLength(237);
    expect(new Set(all.map((f) => f.filename)).size).toBe(237);
    expect(gh.count({ method: 'GET', path: `/pulls/${number}/files` })).toBe(3);
    const first = await o.rest.pulls.listFiles({ ...repo, pull_number: number });
    expect(first.data).toHaveLength(30); // GitHub's default page size
    expect(first.headers.link).toMatch(/page=2>; rel="next".*page=8>; rel="last"/);
    const big = await o.rest.pulls.listFiles({ ...repo, pull_number: number, per_page: 500 });
    expect(big.data).toHaveLength(100); // per_page is capped at 100
  });

  test('the PR shows head, base, draft, fork and author like GitHub', async () => {
    const { gh, octokit } = await standIn();
    const own = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' }, draft: true });
    const fork = gh.openPull({ author: 'mallory', headFiles: { 'y.yml': '1\n' }, fromFork: true });
    const o = octokit();
    const a = (await o.rest.pulls.get({ ...repo, pull_number: own.number })).data;
    expect(a).toMatchObject({
      number: own.number,
      draft: true,
      state: 'open',
      user: { login: 'dev', type: 'User' },
    });
    expect(a.head).toMatchObject({
      sha: own.headSha,
      repo: { full_name: 'acme/app', fork: false },
    });
    expect(a.base).toMatchObject({ ref: 'main', sha: gh.branch('main') });
    const b = (await o.rest.pulls.get({ ...repo, pull_number: fork.number })).data;
    expect(b.head.repo).toMatchObject({ full_name: 'mallory/app', fork: true });
    expect(b.head.label).toBe(`mallory:pr-${fork.number}`);
    expect(await statusOf(o.rest.pulls.get({ ...repo, pull_number: 99 }))).toMatchObject({
      status: 404,
    });
  });

  test('reviews keep the head SHA they were given on, in submission order', async () => {
    const { gh, octokit } = await standIn();
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    gh.review(number, 'alice', 'APPROVED');
    const newHead = gh.push(number, { 'x.yml': '2\n' });
    gh.review(number, 'bob', 'CHANGES_REQUESTED', { body: 'no' });
    const o = octokit();
    const viaApi = await o.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'COMMENT',
      body: 'bot note',
    });
    expect(viaApi.data).toMatchObject({
      state: 'COMMENTED',
      commit_id: newHead,
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    const reviews = await o.paginate(o.rest.pulls.listReviews, { ...repo, pull_number: number });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ['alice', 'APPROVED', headSha],
      ['bob', 'CHANGES_REQUESTED', newHead],
      ['github-actions[bot]', 'COMMENTED', newHead],
    ]);
    const id = reviews[0]?.id as number;
    const dismissed = await o.rest.pulls.dismissReview({
      ...repo,
      pull_number: number,
      review_id: id,
      message: 'stale',
    });
    expect(dismissed.data.state).toBe('DISMISSED');
    const notDismissable = reviews[2]?.id as number;
    expect(
      await statusOf(
        o.rest.pulls.dismissReview({
          ...repo,
          pull_number: number,
          review_id: notDismissable,
          message: 'x',
        }),
      ),
    ).toMatchObject({ status: 422 });
  });

  test('the author cannot approve their own PR', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    expect(() => gh.review(number, 'dev', 'APPROVED')).toThrow(/Unprocessable/);
    gh.addToken('ghp_dev', { login: 'dev' });
    const r = await statusOf(
      octokit('ghp_dev').rest.pulls.createReview({
        ...repo,
        pull_number: number,
        event: 'APPROVE',
      }),
    );
    expect(r).toMatchObject({
      status: 422,
      body: { errors: ['Can not approve your own pull request'] },
    });
    gh.review(number, 'dev', 'APPROVED', { unchecked: true });
    expect(gh.reviews(number).map((x) => x.state)).toEqual(['APPROVED']);
  });

  test('review requests: 422 for the author and for org/slug teams; bare slugs work', async () => {
    const { gh, octokit } = await standIn({ teams: { ops: ['olga', 'oscar'] } });
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const o = octokit();
    const author = await statusOf(
      o.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['dev'] }),
    );
    expect(author).toMatchObject({
      status: 422,
      message: expect.stringMatching(/pull request author/),
    });
    const slashed = await statusOf(
      o.rest.pulls.requestReviewers({ ...repo, pull_number: number, team_reviewers: ['acme/ops'] }),
    );
    expect(slashed).toMatchObject({ status: 422, message: expect.stringMatching(/collaborators/) });
    const unknown = await statusOf(
      o.rest.pulls.requestReviewers({ ...repo, pull_number: number, team_reviewers: ['nope'] }),
    );
    expect(unknown.status).toBe(422);
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });

    const res = await o.rest.pulls.requestReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['alice'],
      team_reviewers: ['ops'],
    });
    expect(res.status).toBe(201);
    expect(res.data.requested_teams?.map((t) => t.slug)).toEqual(['ops']);
    const listed = await o.rest.pulls.listRequestedReviewers({ ...repo, pull_number: number });
    expect(listed.data.users.map((u) => u.login)).toEqual(['alice']);
    expect(listed.data.teams.map((t) => t.slug)).toEqual(['ops']);
    gh.review(number, 'olga', 'APPROVED'); // fulfils the team's request
    gh.review(number, 'alice', 'APPROVED');
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });
    await o.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['bob'] });
    await o.rest.pulls.removeRequestedReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['bob'],
    });
    expect(gh.requestedReviewers(number).users).toEqual([]);
  });

  test('pushing to the head branch through the refs API moves the PR', async () => {
    const { gh, octokit } = await standIn();
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { 'x.yml': '1\n' },
      headRef: 'feature',
    });
    const next = gh.commit({ 'x.yml': '2\n' }, headSha);
    await octokit().rest.git.updateRef({ ...repo, ref: 'heads/feature', sha: next });
    expect(gh.pull(number).headSha).toBe(next);
    expect(gh.pull(number).headHistory).toEqual([headSha, next]);
  });
});
