// The git database's commits, as GitHub documents them:
// https://docs.github.com/en/rest/git/commits#create-a-commit (POST /repos/{o}/{r}/git/commits:
// 201 with the commit; 404, 409 (empty repository) and 422 "Validation failed" — for a tree it
// does not have GitHub says "Tree SHA does not exist") and
// https://docs.github.com/en/rest/git/commits#get-a-commit-object (GET .../git/commits/{sha}: 200;
// 404 for an unknown SHA). Both are `contents` endpoints ("Contents" repository permission: write
// to create, read to get), as the operation ids git/create-commit and git/get-commit in
// github/rest-api-description list them.
import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('git commits', () => {
  test("POST /git/commits: 201 with GitHub's shape, on an existing tree, no parents; GET reads it back", async () => {
    const { gh, octokit } = await standIn({ files: { 'README.md': 'r\n' } });
    const o = octokit();
    const tip = gh.branch('main') as string;
    const { data: tipCommit } = await o.rest.git.getCommit({ ...repo, commit_sha: tip });
    expect(tipCommit).toMatchObject({
      sha: tip,
      tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    const created = await o.rest.git.createCommit({
      ...repo,
      message: 'hold\n\nwhy',
      tree: tipCommit.tree.sha,
      parents: [],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      message: 'hold\n\nwhy',
      tree: {
        sha: tipCommit.tree.sha,
        url: `${gh.url}/repos/acme/app/git/trees/${tipCommit.tree.sha}`,
      },
      parents: [],
      url: `${gh.url}/repos/acme/app/git/commits/${created.data.sha}`,
      author: { name: 'github-actions[bot]', date: expect.stringMatching(/Z$/) },
      verification: { verified: false, reason: 'unsigned' },
    });
    const { data: read } = await o.rest.git.getCommit({ ...repo, commit_sha: created.data.sha });
    expect(read).toEqual(created.data);
    // A commit with a parent lists it.
    const child = await o.rest.git.createCommit({
      ...repo,
      message: 'child',
      tree: tipCommit.tree.sha,
      parents: [created.data.sha],
    });
    expect(child.data.parents.map((p) => p.sha)).toEqual([created.data.sha]);
    expect(gh.branch('main')).toBe(tip);
  });

  test('POST /git/commits: 422 for an unknown tree or parent, or no message; GET: 404 for an unknown SHA', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const { data: tip } = await o.rest.git.getCommit({ ...repo, commit_sha: gh.branch('main')! });
    expect(
      await statusOf(o.rest.git.createCommit({ ...repo, message: 'x', tree: 'f'.repeat(40) })),
    ).toMatchObject({ status: 422, body: { message: 'Tree SHA does not exist' } });
    expect(
      await statusOf(
        o.rest.git.createCommit({
          ...repo,
          message: 'x',
          tree: tip.tree.sha,
          parents: ['e'.repeat(40)],
        }),
      ),
    ).toMatchObject({
      status: 422,
      body: { message: 'Parent SHA does not exist or is not a commit object' },
    });
    expect(
      await statusOf(
        o.request('POST /repos/{owner}/{repo}/git/commits', {
          ...repo,
          tree: tip.tree.sha,
        } as never),
      ),
    ).toMatchObject({ status: 422 });
    expect(
      await statusOf(o.rest.git.getCommit({ ...repo, commit_sha: 'e'.repeat(40) })),
    ).toMatchObject({ status: 404 });
    expect(await statusOf(o.rest.git.getCommit({ ...repo, commit_sha: 'main' }))).toMatchObject({
      status: 404,
    });
  });

  test('permissions: creating needs contents: write, reading contents: read', async () => {
    const { gh, octokit } = await standIn();
    const tip = gh.branch('main') as string;
    const readOnly = octokit(gh.tokens.readOnly);
    const { data } = await readOnly.rest.git.getCommit({ ...repo, commit_sha: tip });
    expect(
      await statusOf(
        readOnly.rest.git.createCommit({ ...repo, message: 'x', tree: data.tree.sha }),
      ),
    ).toMatchObject({ status: 403 });
    const none = octokit(gh.tokenFor({}));
    expect(await statusOf(none.rest.git.getCommit({ ...repo, commit_sha: tip }))).toMatchObject({
      status: 403,
    });
  });
});
