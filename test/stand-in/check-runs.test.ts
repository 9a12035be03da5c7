// What `require_checks` reads, as GitHub documents it:
// - https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference
//   (GET /repos/{o}/{r}/commits/{ref}/check-runs, operation checks/list-for-ref): `ref` "can be a
//   commit SHA, branch name (heads/BRANCH_NAME), or tag name (tags/TAG_NAME)"; query `check_name`,
//   `status`, `filter` ("Filters check runs by their completed_at timestamp. latest returns the
//   most recent check runs", default latest, or all), per_page/page; 200 with
//   `{ total_count, check_runs }`. Fine-grained permission: "Checks" repository permissions (read).
// - https://docs.github.com/rest/commits/commits#get-a-commit (GET /repos/{o}/{r}/commits/{ref},
//   operation repos/get-commit): `ref` is a commit SHA, branch or tag name; 200 with the commit;
//   422 "No commit found for SHA" for a ref that names none (not 404: observed and discussed in
//   https://github.com/zizmorcore/zizmor/pull/972, which also shows `commits/refs/tags/<tag>`
//   resolving a tag). "Contents" repository permission (read).
import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('check runs and the commit of a ref', () => {
  test('check runs on a commit, by SHA, branch or tag; latest per name by default, all on request; check_name filters', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const sha = gh.commitOn('main', { 'a.txt': 'a' });
    gh.setTag('v1', sha);
    gh.addCheckRun(sha, { name: 'build', conclusion: 'failure' });
    gh.addCheckRun(sha, { name: 'build', conclusion: 'success' });
    gh.addCheckRun(sha, { name: 'test', status: 'in_progress' });
    const latest = await o.rest.checks.listForRef({ ...repo, ref: sha });
    expect(latest.data.total_count).toBe(2);
    expect(latest.data.check_runs.map((r) => [r.name, r.status, r.conclusion])).toEqual([
      ['test', 'in_progress', null],
      ['build', 'completed', 'success'],
    ]);
    expect(latest.data.check_runs[1]).toMatchObject({
      head_sha: sha,
      completed_at: expect.stringMatching(/Z$/),
      output: { annotations_count: 0 },
    });
    const all = await o.rest.checks.listForRef({ ...repo, ref: 'main', filter: 'all' });
    expect(all.data.check_runs.map((r) => r.conclusion)).toEqual([null, 'success', 'failure']);
    const byTag = await o.rest.checks.listForRef({ ...repo, ref: 'v1', check_name: 'test' });
    expect(byTag.data.check_runs.map((r) => r.name)).toEqual(['test']);
    const queued = await o.rest.checks.listForRef({ ...repo, ref: sha, status: 'completed' });
    expect(queued.data.check_runs.map((r) => r.name)).toEqual(['build']);
    expect((await statusOf(o.rest.checks.listForRef({ ...repo, ref: 'nope' }))).status).toBe(422);
    const bad = statusOf(
      o.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        ...repo,
        ref: sha,
        filter: 'x' as 'all',
      }),
    );
    expect((await bad).status).toBe(422);
  });

  test('check runs are paginated, the page wrapped in { total_count, check_runs }', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    for (let i = 0; i < 5; i++) gh.addCheckRun(sha, { name: `c${i}`, conclusion: 'success' });
    const runs = await octokit().paginate(octokit().rest.checks.listForRef, {
      ...repo,
      ref: sha,
      per_page: 2,
    });
    expect(runs.map((r) => r.name).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(gh.count({ path: `/commits/${sha}/check-runs` })).toBe(3);
  });

  test('GET /commits/{ref}: the commit a tag, branch or SHA names; 422 for none', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const sha = gh.commitOn('main', { 'a.txt': 'a' });
    gh.setTag('v1.4.2', sha);
    for (const ref of ['v1.4.2', 'main', sha, sha.slice(0, 7)]) {
      const { data } = await o.rest.repos.getCommit({ ...repo, ref });
      expect(data.sha).toBe(sha);
    }
    const { data } = await o.rest.repos.getCommit({ ...repo, ref: 'v1.4.2' });
    expect(data).toMatchObject({
      html_url: `https://github.com/acme/app/commit/${sha}`,
      commit: { tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) } },
      parents: [{ sha: expect.stringMatching(/^[0-9a-f]{40}$/) }],
    });
    const missing = await statusOf(o.rest.repos.getCommit({ ...repo, ref: 'v9' }));
    expect(missing).toMatchObject({
      status: 422,
      body: { message: 'No commit found for SHA: v9' },
    });
  });

  test('permissions: check runs take checks: read, a commit contents: read', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    const noChecks = octokit(gh.tokenFor({ contents: 'read', statuses: 'read' }));
    const refused = await statusOf(noChecks.rest.checks.listForRef({ ...repo, ref: sha }));
    expect(refused.status).toBe(403);
    const withChecks = octokit(gh.tokenFor({ checks: 'read' }));
    expect((await withChecks.rest.checks.listForRef({ ...repo, ref: sha })).status).toBe(200);
    const commit = await statusOf(withChecks.rest.repos.getCommit({ ...repo, ref: sha }));
    expect(commit.status).toBe(403);
    expect((await noChecks.rest.repos.getCommit({ ...repo, ref: sha })).status).toBe(200);
  });
});
