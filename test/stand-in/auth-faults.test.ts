import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('authentication and permissions', () => {
  test('401 without a token and with an unknown one', async () => {
    const { gh, octokit } = await standIn();
    const anon = await fetch(`${gh.url}/repos/acme/app`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ message: 'Requires authentication' });
    const bad = await statusOf(octokit('nope').rest.repos.get(repo));
    expect(bad).toMatchObject({ status: 401, message: expect.stringMatching(/Bad credentials/) });
    expect(gh.calls().map((c) => [c.status, c.token])).toEqual([
      [401, null],
      [401, 'nope'],
    ]);
  });

  test('both `token X` and `Bearer X` are accepted', async () => {
    const { gh } = await standIn();
    for (const scheme of ['token', 'Bearer']) {
      const res = await fetch(`${gh.url}/repos/acme/app`, {
        headers: { authorization: `${scheme} ${gh.tokens.write}` },
      });
      expect(res.status).toBe(200);
    }
  });

  test('a read-only token (fork PR run) reads but every write is 403', async () => {
    const { gh, octokit } = await standIn();
    const { number, headSha } = gh.openPull({
      author: 'mallory',
      headFiles: { 'x.yml': '1\n' },
      fromFork: true,
    });
    const o = octokit(gh.tokens.readOnly);
    expect((await o.rest.pulls.get({ ...repo, pull_number: number })).data.number).toBe(number);
    const writes = [
      o.rest.issues.createComment({ ...repo, issue_number: number, body: 'hi' }),
      o.rest.repos.createCommitStatus({ ...repo, sha: headSha, state: 'success' }),
      o.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['alice'] }),
      o.rest.repos.createDeployment({ ...repo, ref: headSha, required_contexts: [] }),
      o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'deploy.yml', ref: 'main' }),
    ];
    for (const w of writes) {
      expect(await statusOf(w)).toMatchObject({
        status: 403,
        message: expect.stringMatching(/Resource not accessible by integration/),
      });
    }
    expect(gh.comments(number)).toEqual([]);
    expect(gh.statuses(headSha)).toEqual([]);
  });

  test('tokens are scoped to the repository', async () => {
    const { octokit } = await standIn();
    expect(
      await statusOf(octokit().rest.repos.get({ owner: 'acme', repo: 'other' })),
    ).toMatchObject({ status: 404 });
    const same = await octokit().rest.repos.get({ owner: 'ACME', repo: 'App' });
    expect(same.data.full_name).toBe('acme/app');
  });

  test('team members: 403 for the workflow token, 200 for a members token, 404 for unknown teams', async () => {
    const { gh, octokit } = await standIn({ teams: { ops: ['olga', 'oscar'] } });
    const params = { org: 'acme', team_slug: 'ops' };
    expect(await statusOf(octokit().rest.teams.listMembersInOrg(params))).toMatchObject({
      status: 403,
      message: expect.stringMatching(/Resource not accessible by integration/),
    });
    const members = octokit(gh.tokens.members);
    const list = await members.paginate(members.rest.teams.listMembersInOrg, params);
    expect(list.map((u) => u.login)).toEqual(['olga', 'oscar']);
    expect(
      await statusOf(members.rest.teams.listMembersInOrg({ ...params, team_slug: 'nope' })),
    ).toMatchObject({ status: 404 });
    const m = await members.rest.teams.getMembershipForUserInOrg({ ...params, username: 'olga' });
    expect(m.data.state).toBe('active');
  });

  test('GET /user: 403 for the installation token, the user for a user token', async () => {
    const { gh, octokit } = await standIn();
    expect((await statusOf(octokit().rest.users.getAuthenticated())).status).toBe(403);
    gh.addToken('ghp_alice', { login: 'alice' });
    expect((await octokit('ghp_alice').rest.users.getAuthenticated()).data.login).toBe('alice');
  });

  test('GraphQL is not served', async () => {
    const { gh } = await standIn();
    const res = await fetch(`${gh.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${gh.tokens.write}` },
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });
    expect(res.status).toBe(404);
  });
});

describe('fault injection and the request log', () => {
  test('a 502 once, then the real answer', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    gh.inject({
      method: 'GET',
      path: `/pulls/${number}`,
      times: 1,
      status: 502,
      body: { message: 'Bad Gateway' },
    });
    const o = octokit();
    expect(await statusOf(o.rest.pulls.get({ ...repo, pull_number: number }))).toMatchObject({
      status: 502,
    });
    expect((await o.rest.pulls.get({ ...repo, pull_number: number })).status).toBe(200);
    expect(gh.calls({ path: `/pulls/${number}` }).map((c) => c.status)).toEqual([502, 200]);
  });

  test("secondary rate limit: 403 with retry-after and GitHub's message", async () => {
    const { gh, octokit } = await standIn();
    gh.injectSecondaryRateLimit(/\/issues\/\d+\/comments$/, 1, 'POST');
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const o = octokit();
    const res = await fetch(`${gh.url}/repos/acme/app/issues/${number}/comments`, {
      method: 'POST',
      headers: { authorization: `token ${gh.tokens.write}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'x' }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect(
      (await o.rest.issues.createComment({ ...repo, issue_number: number, body: 'x' })).status,
    ).toBe(201);
  });

  test('slow responses and a RegExp path; faults apply before authentication', async () => {
    const { gh, octokit } = await standIn();
    gh.inject({ path: /^\/repos\/acme\/app$/, delayMs: 50 });
    const t0 = performance.now();
    await octokit().rest.repos.get(repo);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    // '' is the repository itself (`/repos/acme/app`); the first live matching fault answers.
    gh.inject({ path: '', times: 1, status: 500 });
    gh.inject({ path: /./, times: 5, status: 503 });
    expect((await statusOf(octokit('nope').rest.repos.get(repo))).status).toBe(500);
    expect((await statusOf(octokit('nope').rest.repos.get(repo))).status).toBe(503);
    gh.clearFaults();
    expect((await statusOf(octokit('nope').rest.repos.get(repo))).status).toBe(401);
  });

  test('the log records method, path, query, body, status and token', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const o = octokit();
    await o.rest.issues.createComment({ ...repo, issue_number: number, body: 'hello' });
    await o.rest.issues.listComments({ ...repo, issue_number: number, per_page: 5 });
    expect(gh.calls()).toEqual([
      {
        method: 'POST',
        path: `/repos/acme/app/issues/${number}/comments`,
        query: {},
        body: { body: 'hello' },
        status: 201,
        token: gh.tokens.write,
      },
      {
        method: 'GET',
        path: `/repos/acme/app/issues/${number}/comments`,
        query: { per_page: '5' },
        body: undefined,
        status: 200,
        token: gh.tokens.write,
      },
    ]);
    expect(gh.count({ method: 'post' })).toBe(1);
    expect(gh.count({ path: /comments$/, status: 200 })).toBe(1);
    gh.clearCalls();
    expect(gh.count()).toBe(0);
  });
});
