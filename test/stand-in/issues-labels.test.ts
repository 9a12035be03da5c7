// Issues and labels, as GitHub documents them:
// - https://docs.github.com/rest/issues/issues#create-an-issue (POST /repos/{o}/{r}/issues):
//   `title` required, `body`, `labels`; 201. Fine-grained permission: "Issues" repository
//   permissions (write).
// - https://docs.github.com/rest/issues/issues#list-repository-issues (GET /repos/{o}/{r}/issues):
//   "GitHub's REST API considers every pull request an issue, but not every issue is a pull
//   request": pull requests are listed too, identified by the `pull_request` key. `state` open
//   (default), closed or all; `labels` "A list of comma separated label names", all must match;
//   `sort` created (default), `direction` desc (default). "Issues" repository permissions (read).
// - https://docs.github.com/rest/issues/issues#get-an-issue, #update-an-issue (PATCH with
//   `state`; a closed issue has `closed_at`). Only the single issue's read fills `closed_by`
//   (who closed it); list answers leave it out (octokit/octokit.net#1353: "populated on Get of a
//   single issue (not on list multiple issues though, but that is down to the API)").
// - https://docs.github.com/rest/issues/labels#add-labels-to-an-issue (POST
//   /repos/{o}/{r}/issues/{n}/labels): "Every pull request is an issue, but not every issue is a
//   pull request. For this reason, "shared" actions for both features, like managing assignees,
//   labels, and milestones, are provided within the Issues endpoints." The token needs at least
//   one of "Issues" (write) or "Pull requests" (write); on an issue, only "Issues" makes sense (a
//   pull-requests grant does not reach issues). Answers 200 with every label now on the issue.
//   A label the repository does not have is created.
import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('issues and labels', () => {
  test('closed_by: on GET /issues/{n} only, never in the list', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const { data } = await o.rest.issues.create({ ...repo, title: 't', labels: ['x'] });
    gh.closeIssue(data.number, 'tina');
    const one = await o.rest.issues.get({ ...repo, issue_number: data.number });
    expect(one.data.closed_by?.login).toBe('tina');
    const list = await o.rest.issues.listForRepo({ ...repo, state: 'all', labels: 'x' });
    expect(list.data[0]!.number).toBe(data.number);
    expect(list.data[0]).not.toHaveProperty('closed_by');
  });

  test('create, get, close: one number sequence with pull requests; title required', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    const made = await o.rest.issues.create({
      ...repo,
      title: 'Review break-glass',
      body: 'why',
      labels: ['break-glass'],
    });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({
      number: pr + 1,
      state: 'open',
      title: 'Review break-glass',
      body: 'why',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      closed_at: null,
      html_url: `https://github.com/acme/app/issues/${pr + 1}`,
      labels: [{ name: 'break-glass', color: 'ededed' }],
    });
    expect(made.data.pull_request).toBeUndefined();
    expect(gh.openPull({ author: 'dev', headFiles: { 'y.txt': 'y' } }).number).toBe(pr + 2);

    const missing = await statusOf(
      o.request('POST /repos/{owner}/{repo}/issues', { ...repo } as never),
    );
    expect(missing.status).toBe(422);

    const closed = await o.rest.issues.update({ ...repo, issue_number: pr + 1, state: 'closed' });
    expect(closed.data).toMatchObject({ state: 'closed', closed_at: expect.stringMatching(/Z$/) });
    expect(gh.issue(pr + 1)).toMatchObject({ state: 'closed', closedBy: 'github-actions[bot]' });
    const got = await o.rest.issues.get({ ...repo, issue_number: pr + 1 });
    expect(got.data.state).toBe('closed');
    const pull = await o.rest.issues.get({ ...repo, issue_number: pr });
    expect(pull.data.pull_request?.html_url).toBe(`https://github.com/acme/app/pull/${pr}`);
    expect((await statusOf(o.rest.issues.get({ ...repo, issue_number: 999 }))).status).toBe(404);
  });

  test('list: pull requests too (with pull_request), state open by default, labels all must match, newest first', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    const a = gh.openIssue({ title: 'a', labels: ['break-glass'] });
    const b = gh.openIssue({ title: 'b', labels: ['break-glass', 'urgent'] });
    const c = gh.openIssue({ title: 'c' });
    gh.addLabels(pr, ['break-glass']);
    gh.closeIssue(a);
    const numbers = async (q: Record<string, string>) =>
      (await o.request('GET /repos/{owner}/{repo}/issues', { ...repo, ...q })).data.map(
        (i: { number: number }) => i.number,
      );
    expect(await numbers({})).toEqual([c, b, pr]);
    expect(await numbers({ state: 'all' })).toEqual([c, b, a, pr]);
    expect(await numbers({ state: 'closed' })).toEqual([a]);
    expect(await numbers({ state: 'all', labels: 'break-glass' })).toEqual([b, a, pr]);
    expect(await numbers({ state: 'all', labels: 'break-glass,urgent' })).toEqual([b]);
    expect(await numbers({ state: 'all', sort: 'created', direction: 'asc' })).toEqual([
      pr,
      a,
      b,
      c,
    ]);
    const listed = await o.rest.issues.listForRepo({ ...repo, labels: 'break-glass' });
    expect(listed.data.find((i) => i.number === pr)?.pull_request).toBeDefined();
    expect(listed.data.find((i) => i.number === b)?.pull_request).toBeUndefined();
    const bad = await statusOf(
      o.request('GET /repos/{owner}/{repo}/issues', { ...repo, state: 'x' as 'all' }),
    );
    expect(bad.status).toBe(422);
    const all = await o.paginate(o.rest.issues.listForRepo, { ...repo, state: 'all', per_page: 2 });
    expect(all).toHaveLength(4);
  });

  test('labels: on a pull request and an issue; unknown names made; 404 for no such number', async () => {
    const { gh, octokit } = await standIn();
    const o = octokit();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    const added = await o.rest.issues.addLabels({
      ...repo,
      issue_number: pr,
      labels: ['break-glass'],
    });
    expect(added.status).toBe(200);
    expect(added.data.map((l) => l.name)).toEqual(['break-glass']);
    await o.rest.issues.addLabels({ ...repo, issue_number: pr, labels: ['Break-Glass', 'x'] });
    expect(gh.labels(pr)).toEqual(['break-glass', 'x']);
    const pull = await o.rest.pulls.get({ ...repo, pull_number: pr });
    expect(pull.data.labels.map((l) => l.name)).toEqual(['break-glass', 'x']);
    const issue = gh.openIssue({ title: 't' });
    await o.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ['x'] });
    expect(gh.issues().map((i) => i.labels)).toEqual([['x']]);
    const none = await statusOf(
      o.rest.issues.addLabels({ ...repo, issue_number: 99, labels: ['x'] }),
    );
    expect(none.status).toBe(404);
  });

  test('permissions: create and list need issues; labels on a pull request accept issues or pull-requests write, on an issue issues write', async () => {
    const { gh, octokit } = await standIn();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    const issue = gh.openIssue({ title: 't' });
    const pullsWrite = octokit(gh.tokenFor({ 'pull-requests': 'write' }));
    const create = await statusOf(pullsWrite.rest.issues.create({ ...repo, title: 't' }));
    expect(create.status).toBe(403);
    expect(create.message).toMatch(/Resource not accessible by integration/);
    const list = await statusOf(pullsWrite.rest.issues.listForRepo({ ...repo }));
    expect(list.status).toBe(403);
    const issuesRead = octokit(gh.tokenFor({ issues: 'read' }));
    expect((await issuesRead.rest.issues.listForRepo({ ...repo })).status).toBe(200);
    const write = await statusOf(issuesRead.rest.issues.create({ ...repo, title: 't' }));
    expect(write.status).toBe(403);

    await pullsWrite.rest.issues.addLabels({ ...repo, issue_number: pr, labels: ['a'] });
    const onIssue = statusOf(
      pullsWrite.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ['a'] }),
    );
    expect((await onIssue).status).toBe(403);
    const issuesWrite = octokit(gh.tokenFor({ issues: 'write' }));
    await issuesWrite.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ['a'] });
    await issuesWrite.rest.issues.addLabels({ ...repo, issue_number: pr, labels: ['b'] });
    expect([gh.labels(pr), gh.labels(issue)]).toEqual([['a', 'b'], ['a']]);
    expect(gh.calls({ method: 'POST', path: `/issues/${issue}/labels`, status: 403 }).length).toBe(
      1,
    );
  });
});
