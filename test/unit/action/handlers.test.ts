// Handler branches that need a precise GitHub state or a race: called directly with the real port
// over the stand-in (some answers replaced), no SSH.
import { describe, expect, it } from 'vitest';
import { requestCurrentStage } from '../../../src/action/approval-step.js';
import { withdrawRequest } from '../../../src/action/handle-cancel.js';
import { releaseEnvironmentLock } from '../../../src/confirm/environment-lock.js';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { handleGate } from '../../../src/action/handle-gate.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import type { DeploymentState } from '../../../src/github/port.js';
import { CONFIG, openRequest, REQUEST, repoWith } from '../main/support.js';
import { contextFor, loaded, portFor } from './support.js';

function approve(gh: Awaited<ReturnType<typeof repoWith>>, pr: number): void {
  for (const user of ['tina', 'olga', 'oscar']) gh.review(pr, user, 'APPROVED');
}

describe('withdrawRequest', () => {
  it('queued prompts of this PR become inactive, other PRs’ are untouched; the lock is released', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const port = portFor(gh);
    const mine = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(mine.id, 'queued');
    const done = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(done.id, 'failure');
    const theirs = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: 99 },
      description: '',
    });
    await port.createDeploymentStatus(theirs.id, 'queued');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const ctx = contextFor(gh);
    const outcome = await withdrawRequest(
      ctx,
      await port.getPull(number),
      'Withdrawn: '.padEnd(200, 'x'),
      (env, sha) => releaseEnvironmentLock(port, env, sha),
    );
    expect(outcome).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(gh.deploymentState(mine.id)).toBe('inactive');
    expect(gh.deploymentStatuses(mine.id).at(-1)?.description).toHaveLength(140);
    expect(gh.deploymentState(done.id)).toBe('failure');
    expect(gh.deploymentState(theirs.id)).toBe('queued');
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
  });

  it('without a releaser (the gate job, which has no contents: write) the lock is left alone', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const port = portFor(gh);
    const queued = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(queued.id, 'queued');
    gh.setBranch('deploy-request/lock/staging', headSha);
    gh.clearCalls();
    await withdrawRequest(contextFor(gh), await port.getPull(number), 'Closed.');
    expect(gh.deploymentState(queued.id)).toBe('inactive');
    expect(gh.branch('deploy-request/lock/staging')).toBe(headSha);
    expect(gh.count({ path: /\/git\// })).toBe(0);
  });

  it('while a deployment of the request is running, the lock stays and the message says why', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const port = portFor(gh);
    const running = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(running.id, 'in_progress');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const outcome = await withdrawRequest(contextFor(gh), await port.getPull(number), 'Cancelled.');
    expect(outcome.message).toBe(
      'Cancelled. A deployment of this request is in progress: it finishes (or rolls back) and then releases the environment lock.',
    );
    expect(gh.branch('deploy-request/lock/staging')).toBe(headSha);
    expect(gh.deploymentState(running.id)).toBe('in_progress');
  });

  it('a status comment without a valid request: cancelled, nothing else touched', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh, {
      request: REQUEST.replace('release: 1.4.2', 'release: 1.4'),
    });
    const port = portFor(gh);
    await port.createComment(number, '<!-- deploy-request:status -->\nold');
    const outcome = await withdrawRequest(contextFor(gh), await port.getPull(number), 'Closed.');
    expect(outcome).toMatchObject({
      phase: 'cancelled',
      environment: undefined,
      requestFile: undefined,
    });
    expect(gh.comments(number)[0]!.body).toContain('Deploy request: cancelled');
  });
});

describe('handleConfirm under the lock', () => {
  async function promptedRepo() {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    approve(gh, number);
    const { config, request } = loaded(CONFIG, REQUEST);
    const digest = requestDigest(request, config.environments.staging!, headSha);
    const port = portFor(gh);
    const prompt = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number, digest, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      description: '',
    });
    await port.createDeploymentStatus(prompt.id, 'queued');
    return { gh, number, digest, prompt, port };
  }

  it.each([
    ['success', 'this plan has already been deployed; nothing is deployed twice.'],
    ['failure', 'this deployment is already failure.'],
  ] as const)(
    'a concurrent run that got there first (%s) is noticed after taking the lock; the lock is released',
    async (state, reason) => {
      const { gh, number, digest, prompt, port } = await promptedRepo();
      let reads = 0;
      const ctx = contextFor(gh, {
        github: {
          latestDeploymentStatus: async (id) => {
            const real = await port.latestDeploymentStatus(id);
            return ++reads === 1 ? real : { state: state as DeploymentState, createdAt: '' };
          },
        },
      });
      const outcome = await handleConfirm(ctx, number, 'dev', digest);
      expect(outcome).toMatchObject({ phase: 'refused', deploymentId: prompt.id, digest });
      expect(gh.comments(number).at(-1)?.body).toContain(reason);
      expect(gh.deploymentState(prompt.id)).toBe('queued');
      expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
    },
  );

  it('a prompt without a digest or expiry is refused as not matching', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    approve(gh, number);
    const port = portFor(gh);
    const bare = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(bare.id, 'queued');
    const outcome = await handleConfirm(contextFor(gh), number, 'dev', 'a'.repeat(16));
    expect(outcome.phase).toBe('refused');
    expect(gh.comments(number).at(-1)?.body).toContain(
      'the digest does not match the current confirmation prompt',
    );
  });

  it('a prompt with no status at all is not open', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    approve(gh, number);
    const { config, request } = loaded(CONFIG, REQUEST);
    const digest = requestDigest(request, config.environments.staging!, headSha);
    await portFor(gh).createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number, digest, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      description: '',
    });
    const outcome = await handleConfirm(contextFor(gh), number, 'dev', digest);
    expect(outcome.phase).toBe('refused');
    expect(gh.comments(number).at(-1)?.body).toContain('its deployment is unknown');
  });
});

describe('errors that are not GitHub refusals propagate', () => {
  it('the gate’s refusal path: a failing comment write that is not a 403', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { 'deploy-requests/a.yml': REQUEST, 'deploy-requests/b.yml': REQUEST },
    });
    gh.inject({
      method: 'POST',
      path: `/issues/${number}/comments`,
      status: 400,
      body: { message: 'bad' },
    });
    const ctx = contextFor(gh, { settings: { eventName: 'pull_request' } });
    await expect(handleGate(ctx, await portFor(gh).getPull(number), 'main')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('requesting reviews: anything but a 422 propagates', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.inject({
      method: 'POST',
      path: /requested_reviewers$/,
      status: 400,
      body: { message: 'bad' },
    });
    const { config } = loaded(CONFIG, REQUEST);
    const pull = await portFor(gh).getPull(number);
    const state = {
      stages: [],
      approved: false,
      currentStage: 0,
      ignored: [],
      approvers: [],
      blockedBy: [],
    };
    await expect(
      requestCurrentStage(
        { requestReviewers: (n, u, t) => portFor(gh).requestReviewers(n, ['alice', ...u], t) },
        pull,
        config.environments.staging!,
        state,
        gh.owner,
      ),
    ).rejects.toMatchObject({ status: 400 });
  });
});
