import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('issue comments and reactions', () => {
  test('create, list (paginated), edit, delete; a deleted comment is 404', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const o = octokit();
    const mine = await o.rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: 'status',
    });
    expect(mine.status).toBe(201);
    expect(mine.data).toMatchObject({
      body: 'status',
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    for (let i = 0; i < 40; i++) gh.comment(number, 'dev', `c${i}`);
    const all = await o.paginate(o.rest.issues.listComments, { ...repo, issue_number: number });
    expect(all).toHaveLength(41);
    expect(all[0]?.id).toBe(mine.data.id);
    expect(gh.count({ path: `/issues/${number}/comments`, method: 'GET' })).toBe(2);

    gh.clock.advance(60_000);
    const edited = await o.rest.issues.updateComment({
      ...repo,
      comment_id: mine.data.id,
      body: 'status v2',
    });
    expect(edited.data.body).toBe('status v2');
    expect(edited.data.updated_at > edited.data.created_at).toBe(true);
    await o.rest.issues.deleteComment({ ...repo, comment_id: mine.data.id });
    expect(
      await statusOf(o.rest.issues.getComment({ ...repo, comment_id: mine.data.id })),
    ).toMatchObject({ status: 404 });
    expect(
      await statusOf(
        o.rest.issues.updateComment({ ...repo, comment_id: mine.data.id, body: 'again' }),
      ),
    ).toMatchObject({ status: 404 });
    expect(gh.comments(number)).toHaveLength(40);
  });

  test('driving edits and deletes show through the API; a comment body has a size limit', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const id = gh.comment(number, 'dev', '/confirm abc');
    expect(gh.editComment(id, '/confirm def')).toBe('/confirm abc');
    const o = octokit();
    expect((await o.rest.issues.getComment({ ...repo, comment_id: id })).data.body).toBe(
      '/confirm def',
    );
    gh.deleteComment(id);
    expect((await statusOf(o.rest.issues.getComment({ ...repo, comment_id: id }))).status).toBe(
      404,
    );
    const long = await statusOf(
      o.rest.issues.createComment({ ...repo, issue_number: number, body: 'x'.repeat(65537) }),
    );
    expect(long.status).toBe(422);
  });

  test('reactions: 201 when new, 200 when the same user already reacted, 422 for unknown content', async () => {
    const { gh, octokit } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const id = gh.comment(number, 'dev', '/recheck');
    const o = octokit();
    const first = await o.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: id,
      content: 'eyes',
    });
    const again = await o.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: id,
      content: 'eyes',
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.data.id).toBe(first.data.id);
    const bad = await statusOf(
      o.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        ...repo,
        comment_id: id,
        content: 'thumbs' as never, // not a reaction GitHub knows
      }),
    );
    expect(bad.status).toBe(422);
    expect(gh.reactions(id)).toEqual([{ user: 'github-actions[bot]', content: 'eyes' }]);
    const c = await o.rest.issues.getComment({ ...repo, comment_id: id });
    expect(c.data.reactions).toMatchObject({ total_count: 1, eyes: 1 });
  });
});

describe('commit statuses', () => {
  test('422 for a description over 140 characters; 140 is fine', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    const o = octokit();
    const long = await statusOf(
      o.rest.repos.createCommitStatus({
        ...repo,
        sha,
        state: 'failure',
        context: 'deploy-request/validate',
        description: 'x'.repeat(141),
      }),
    );
    expect(long).toMatchObject({
      status: 422,
      message: expect.stringMatching(/description is too long/),
    });
    const ok = await o.rest.repos.createCommitStatus({
      ...repo,
      sha,
      state: 'failure',
      context: 'c',
      description: 'x'.repeat(140),
    });
    expect(ok.status).toBe(201);
    expect(
      (
        await statusOf(
          o.rest.repos.createCommitStatus({ ...repo, sha: 'a'.repeat(40), state: 'success' }),
        )
      ).status,
    ).toBe(422);
  });

  test('list newest first; combined status takes the newest per context', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    const o = octokit();
    await o.rest.repos.createCommitStatus({ ...repo, sha, state: 'pending', context: 'a' });
    await o.rest.repos.createCommitStatus({ ...repo, sha, state: 'success', context: 'a' });
    await o.rest.repos.createCommitStatus({ ...repo, sha, state: 'success', context: 'b' });
    const list = await o.rest.repos.listCommitStatusesForRef({ ...repo, ref: 'main' });
    expect(list.data.map((s) => [s.context, s.state])).toEqual([
      ['b', 'success'],
      ['a', 'success'],
      ['a', 'pending'],
    ]);
    const combined = await o.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 2, sha });
    gh.setStatus(sha, { state: 'failure', context: 'b' });
    expect(gh.combinedStatus(sha).state).toBe('failure');
  });
});

describe('deployments', () => {
  test('409 when required_contexts is omitted and a status is not success; [] deploys anyway', async () => {
    const { gh, octokit } = await standIn();
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    gh.setStatus(headSha, { state: 'pending', context: 'deploy-request/deploy' });
    const o = octokit();
    const params = {
      ...repo,
      ref: headSha,
      environment: 'staging',
      auto_merge: false,
      payload: { pr: number },
    };
    const conflict = await statusOf(o.rest.repos.createDeployment(params));
    expect(conflict).toMatchObject({
      status: 409,
      message: expect.stringMatching(/Commit status checks failed/),
    });
    expect(gh.deployments()).toEqual([]);
    const created = await o.rest.repos.createDeployment({ ...params, required_contexts: [] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      sha: headSha,
      environment: 'staging',
      payload: { pr: number },
      task: 'deploy',
    });
    const named = await statusOf(
      o.rest.repos.createDeployment({ ...params, required_contexts: ['deploy-request/deploy'] }),
    );
    expect(named.status).toBe(409);
  });

  test('auto_merge: a branch behind the default branch is merged (202, no deployment) unless false', async () => {
    const { gh, octokit } = await standIn();
    gh.setBranch('feature', gh.branch('main') as string);
    gh.commitOn('main', { 'new.txt': 'n\n' });
    const o = octokit();
    const merged = await o.rest.repos.createDeployment({
      ...repo,
      ref: 'feature',
      required_contexts: [],
    });
    expect(merged.status).toBe(202);
    expect(gh.deployments()).toEqual([]);
    expect(gh.files('feature')['new.txt']).toBe('n\n');
    gh.commitOn('main', { 'newer.txt': 'n\n' });
    const plain = await o.rest.repos.createDeployment({
      ...repo,
      ref: 'feature',
      required_contexts: [],
      auto_merge: false,
    });
    expect(plain.status).toBe(201);
    expect(
      (
        await statusOf(
          o.rest.repos.createDeployment({ ...repo, ref: 'nope', required_contexts: [] }),
        )
      ).status,
    ).toBe(422);
  });

  test('statuses: every state, newest first, auto-inactive of earlier successes, list filters', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    const o = octokit();
    const make = async (environment: string) =>
      (
        await o.rest.repos.createDeployment({
          ...repo,
          ref: sha,
          environment,
          required_contexts: [],
          auto_merge: false,
        })
      ).data;
    const first = await make('staging');
    if (!('id' in first)) throw new Error('no deployment');
    for (const state of ['queued', 'pending', 'in_progress', 'success'] as const) {
      await o.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: first.id,
        state,
        log_url: 'https://example.test/run',
      });
    }
    const second = await make('staging');
    const other = await make('production');
    if (!('id' in second) || !('id' in other)) throw new Error('no deployment');
    await o.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: second.id,
      state: 'success',
    });
    expect(gh.deploymentState(first.id)).toBe('inactive');
    const statuses = await o.rest.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: first.id,
    });
    expect(statuses.data.map((s) => s.state)).toEqual([
      'inactive',
      'success',
      'in_progress',
      'pending',
      'queued',
    ]);
    expect(statuses.data[1]).toMatchObject({
      log_url: 'https://example.test/run',
      target_url: 'https://example.test/run',
    });
    for (const state of ['error', 'failure', 'inactive'] as const) {
      await o.rest.repos.createDeploymentStatus({ ...repo, deployment_id: other.id, state });
    }
    const bad = await statusOf(
      o.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...repo,
        deployment_id: other.id,
        state: 'done' as never,
      }),
    );
    expect(bad.status).toBe(422);
    const staging = await o.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    expect(staging.data.map((d) => d.id)).toEqual([second.id, first.id]);
    expect((await o.rest.repos.listDeployments({ ...repo, sha })).data).toHaveLength(3);
  });
});
