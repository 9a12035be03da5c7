// Pull requests as GitHub has them (issue 11 item 4): any branch as the base, a `base.sha` that
// lags behind that branch, retargeting, review requests refused for people without access, review
// commit ids and dismissals. Each rule cites where GitHub says so.
import { describe, expect, test } from 'vitest';
import { pullRequestEvent, pullRequestReviewEvent } from '../support/events.js';
import { repo, standIn, statusOf } from './helpers.js';

describe('base branches and base.sha', () => {
  // "base: The name of the branch you want the changes pulled into. This should be an existing
  // branch on the current repository." https://docs.github.com/rest/pulls/pulls#create-a-pull-request
  test('a PR may target any branch; the list filters by base', async () => {
    const { gh, octokit } = await standIn();
    const evil = gh.commitOn('main', { 'x.txt': 'x\n' });
    gh.setBranch('evil', evil);
    const intoEvil = gh.openPull({ author: 'dev', base: 'evil', headFiles: { 'a.yml': '1\n' } });
    const intoMain = gh.openPull({ author: 'dev', headFiles: { 'b.yml': '1\n' } });
    const o = octokit();
    const pr = (await o.rest.pulls.get({ ...repo, pull_number: intoEvil.number })).data;
    expect(pr.base).toMatchObject({ ref: 'evil', sha: evil, label: 'acme:evil' });
    const listed = await o.rest.pulls.list({ ...repo, base: 'evil' });
    expect(listed.data.map((p) => p.number)).toEqual([intoEvil.number]);
    expect((await o.rest.pulls.list({ ...repo, base: 'main' })).data.map((p) => p.number)).toEqual([
      intoMain.number,
    ]);
  });

  // base.sha is where the base branch stood when GitHub last computed it (opening, a push to the
  // head, a retarget), not the branch's tip: github/docs#431, SPEC §8.
  test('base.sha lags when the base branch moves, and catches up on the next push', async () => {
    const { gh, octokit } = await standIn();
    const opened = gh.branch('main')!;
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    const moved = gh.commitOn('main', { '.github/deploy-request.yml': 'changed\n' });
    const o = octokit();
    const lagging = (await o.rest.pulls.get({ ...repo, pull_number: number })).data;
    expect(lagging.base.sha).toBe(opened);
    expect(lagging.base.sha).not.toBe(moved);
    expect(pullRequestEvent(gh, 'opened', number).pull_request.base.sha).toBe(opened);
    gh.push(number, { 'a.yml': '2\n' });
    expect((await o.rest.pulls.get({ ...repo, pull_number: number })).data.base.sha).toBe(moved);
  });
});

describe('retargeting: PATCH /pulls/{n} with base', () => {
  // "base: ... You cannot update the base branch on a pull request to point to another
  // repository." https://docs.github.com/rest/pulls/pulls#update-a-pull-request
  test('the base and base.sha change, approvals stay, the edited event says what changed', async () => {
    const { gh, octokit } = await standIn();
    const mainTip = gh.branch('main')!;
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    gh.review(number, 'alice', 'APPROVED');
    const other = gh.commit({ 'evil.txt': 'x\n' }, mainTip);
    gh.setBranch('evil', other);
    gh.addToken('ghp_dev', { login: 'dev' });
    const res = await octokit('ghp_dev').rest.pulls.update({
      ...repo,
      pull_number: number,
      base: 'evil',
      title: 'Retargeted',
    });
    expect(res.data.base).toMatchObject({ ref: 'evil', sha: other });
    expect(res.data.title).toBe('Retargeted');
    // No branch protection dismisses stale approvals here: the approval survives the retarget.
    expect(gh.reviews(number).map((r) => [r.user, r.state, r.commitId])).toEqual([
      ['alice', 'APPROVED', headSha],
    ]);

    const before = gh.editPull(number, { base: 'main' });
    const edited = pullRequestEvent(gh, 'edited', number, {
      changes: gh.editedChanges(number, before),
    });
    expect(edited.changes).toEqual({ base: { ref: { from: 'evil' }, sha: { from: other } } });
    expect(edited.pull_request.base).toMatchObject({ ref: 'main', sha: mainTip });
  });

  test('a base that is not a branch of the repository: 422, nothing changes', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    const r = await statusOf(
      octokit().rest.pulls.update({ ...repo, pull_number: number, base: 'nope' }),
    );
    expect(r).toMatchObject({
      status: 422,
      body: { errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }] },
    });
    expect(gh.pull(number).baseRef).toBe('main');
  });

  test('state closes and reopens; a merged PR stays merged', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    const o = octokit();
    // JSON null clears the body (the typed client does not allow null: a raw request).
    await o.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...repo,
      pull_number: number,
      state: 'closed',
      body: null,
    } as never);
    expect(gh.pull(number)).toMatchObject({ state: 'closed', body: null });
    await o.rest.pulls.update({ ...repo, pull_number: number, state: 'open' });
    expect(gh.pull(number).state).toBe('open');
    gh.closePull(number, { merge: true });
    const reopen = await statusOf(
      o.rest.pulls.update({ ...repo, pull_number: number, state: 'open' }),
    );
    expect(reopen.status).toBe(422);
    const bad = await statusOf(
      o.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...repo,
        pull_number: number,
        state: 'merged',
      } as never),
    );
    expect(bad.status).toBe(422);
  });
});

describe('review requests and collaborators', () => {
  // "Reviews may only be requested from collaborators" (422), as GitHub answers for a user or
  // team without access: https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request
  // and e.g. peter-evans/create-pull-request#4138.
  test('a user without access: 422 with GitHub’s message, and nobody of that call is asked', async () => {
    const { gh, octokit } = await standIn({
      collaborators: ['alice'],
      teams: { ops: ['olga'] },
    });
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    const o = octokit();
    const refused = await statusOf(
      o.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['alice', 'eve'] }),
    );
    expect(refused).toMatchObject({
      status: 422,
      message: expect.stringContaining(
        'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/app repository.',
      ),
    });
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });

    // Collaborators, members of the owner's teams and the owner have access.
    await o.rest.pulls.requestReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['Alice', 'olga', 'acme'],
    });
    expect(gh.requestedReviewers(number).users).toEqual(['Alice', 'olga', 'acme']);
    gh.addCollaborator('eve');
    await o.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['eve'] });
    expect(gh.requestedReviewers(number).users).toContain('eve');
  });

  test('without the collaborators option everyone has access', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    await octokit().rest.pulls.requestReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['anyone'],
    });
    expect(gh.requestedReviewers(number).users).toEqual(['anyone']);
  });
});

describe('review commit ids and dismissals', () => {
  // "commit_id: The SHA of the commit that needs a review ... Defaults to the most recent commit
  // in the pull request" https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request
  test('a review may name an earlier head of the PR, never a commit outside it', async () => {
    const { gh, octokit } = await standIn();
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    gh.push(number, { 'a.yml': '2\n' });
    gh.addToken('ghp_alice', { login: 'alice' });
    const o = octokit('ghp_alice');
    const old = await o.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'APPROVE',
      commit_id: headSha,
    });
    expect(old.data.commit_id).toBe(headSha);
    const outside = await statusOf(
      o.rest.pulls.createReview({
        ...repo,
        pull_number: number,
        event: 'APPROVE',
        commit_id: gh.branch('main')!,
      }),
    );
    expect(outside).toMatchObject({
      status: 422,
      body: { errors: ['Commit ID must be part of the pull request'] },
    });
  });

  // "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals", message
  // required: https://docs.github.com/rest/pulls/reviews#dismiss-a-review-for-a-pull-request
  test('a dismissal needs a message, turns the approval DISMISSED and sends the dismissed event', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.yml': '1\n' } });
    const id = gh.review(number, 'alice', 'APPROVED');
    const o = octokit();
    const noMessage = await statusOf(
      o.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals', {
        ...repo,
        pull_number: number,
        review_id: id,
      } as never),
    );
    expect(noMessage.status).toBe(422);
    const res = await o.rest.pulls.dismissReview({
      ...repo,
      pull_number: number,
      review_id: id,
      message: 'approved on the wrong base',
    });
    expect(res.data).toMatchObject({ id, state: 'DISMISSED' });
    const event = pullRequestReviewEvent(gh, 'dismissed', number, id, { sender: 'acme' });
    expect(event.review.state).toBe('dismissed');
  });
});
