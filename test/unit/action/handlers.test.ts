// Handler branches that need a precise GitHub state or a race: called directly on the in-memory
// fake of GitHub (some answers replaced), no HTTP, no SSH. Nothing here depends on how GitHub's
// HTTP answers become port errors (test/unit/github/ covers that, and the contract keeps the
// fake to the real port's answers).
import { describe, expect, it, vi } from 'vitest';
import { evaluateAtHead, requestCurrentStage } from '../../../src/action/approval-step.js';
import { withdrawRequest } from '../../../src/action/handle-cancel.js';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { handleGate, refusedReviewersNote } from '../../../src/action/handle-gate.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import { GitHubConflictError, GitHubRequestError } from '../../../src/github/errors.js';
import { trustedKey } from '../../../src/action/trusted-key.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { setSignedState, testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest, REQUEST } from '../main/support.js';
import { fakeContextFor as contextFor, fakeRepoWith, seedPromptOn } from './fake-support.js';
import { configSha, loaded } from './support.js';

function approve(gh: GitHubStandIn, pr: number): void {
  for (const user of ['tina', 'olga', 'oscar']) gh.review(pr, user, 'APPROVED');
}

describe('withdrawRequest', () => {
  it('queued prompts of this PR become inactive, other PRs’ are untouched; the lock is released', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number, headSha } = openRequest(gh);
    const trust = trustOf(gh, testDeployKey());
    const mine = { id: await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number } }) };
    const done = { id: await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number } }) };
    setSignedState(gh, trust, done.id, 'failure');
    const theirs = { id: await seedPromptOn(port, trust, { sha: headSha, payload: { pr: 99 } }) };
    // A copy of this PR's prompt that the PR's own workflow could make: not ours, left alone.
    const forged = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(forged.id, 'queued');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const ctx = contextFor(fake);
    const outcome = await withdrawRequest(
      ctx,
      await port.getPull(number),
      'Withdrawn: '.padEnd(200, 'x'),
      trustedKey(ctx).state,
    );
    expect(outcome).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(gh.deploymentState(mine.id)).toBe('inactive');
    expect(gh.deploymentStatuses(mine.id).at(-1)?.description).toHaveLength(140);
    expect(gh.deploymentState(done.id)).toBe('failure');
    expect(gh.deploymentState(theirs.id)).toBe('queued');
    expect(gh.deploymentState(forged.id)).toBe('queued');
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
  });

  it('without the key (the gate, on close): an unsigned inactive for display, the lock left alone', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number, headSha } = openRequest(gh);
    const trust = trustOf(gh, testDeployKey());
    const id = await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number } });
    gh.setBranch('deploy-request/lock/staging', headSha);
    fake.clearCalls();
    const outcome = await withdrawRequest(contextFor(fake), await port.getPull(number), 'Closed.');
    expect(outcome).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(gh.deploymentState(id)).toBe('inactive');
    expect(gh.deploymentStatuses(id).at(-1)?.description).toBe('Closed.');
    expect(gh.branch('deploy-request/lock/staging')).toBe(headSha);
    // No contents: write (the lock is neither taken nor released).
    expect(fake.calls().filter((c) => c.call === 'createRef' || c.call === 'deleteRef')).toEqual(
      [],
    );
  });

  it('while a deployment of the request is running, the lock stays and the message says why', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number, headSha } = openRequest(gh);
    const trust = trustOf(gh, testDeployKey());
    const running = {
      id: await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number } }),
    };
    setSignedState(gh, trust, running.id, 'in_progress');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const ctx = contextFor(fake);
    const outcome = await withdrawRequest(
      ctx,
      await port.getPull(number),
      'Cancelled.',
      trustedKey(ctx).state,
    );
    expect(outcome.message).toBe(
      'Cancelled. A deployment of this request is in progress: it finishes (or rolls back) and then releases the environment lock.',
    );
    expect(gh.branch('deploy-request/lock/staging')).toBe(headSha);
    expect(gh.deploymentState(running.id)).toBe('in_progress');
  });

  it('a status comment without a valid request: cancelled, nothing else touched', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number } = openRequest(gh, {
      request: REQUEST.replace('release: 1.4.2', 'release: 1.4'),
    });
    await port.createComment(number, '<!-- deploy-request:status -->\nold');
    const outcome = await withdrawRequest(contextFor(fake), await port.getPull(number), 'Closed.');
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
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number, headSha } = openRequest(gh);
    approve(gh, number);
    const { config, request } = loaded(CONFIG, REQUEST);
    const digest = requestDigest(
      request,
      config.environments.staging!,
      headSha,
      await configSha(port),
    );
    const trust = trustOf(gh, testDeployKey());
    const prompt = {
      id: await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number, digest } }),
    };
    return { fake, gh, number, digest, prompt, port, trust };
  }

  it.each([
    ['success', 'this plan has already been deployed; nothing is deployed twice.'],
    ['failure', 'this deployment is already failure.'],
  ] as const)(
    'a concurrent run that got there first (%s) is noticed after taking the lock; the lock is released',
    async (state, reason) => {
      const { fake, gh, number, digest, prompt, port, trust } = await promptedRepo();
      let reads = 0;
      const ctx = contextFor(fake, {
        github: {
          // The second read (under the lock) sees what a concurrent run did meanwhile.
          listDeploymentStatuses: async (id) => {
            if (++reads === 2) setSignedState(gh, trust, prompt.id, state);
            return port.listDeploymentStatuses(id);
          },
        },
      });
      const outcome = await handleConfirm(ctx, number, 'dev', digest);
      expect(outcome).toMatchObject({ phase: 'refused', deploymentId: prompt.id, digest });
      expect(gh.comments(number).at(-1)?.body).toContain(reason);
      expect(gh.deploymentState(prompt.id)).toBe(state); // the other run's, nothing of ours
      expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
    },
  );

  it('invariant 11: a copied or unsigned prompt is ignored (no prompt), with a log line', async () => {
    const { fake, gh, number, digest, port } = await promptedRepo();
    const ctx = contextFor(fake);
    // The PR's own workflow copies the prompt (same payload, fresh queued status) after the real
    // one was deployed: the copy's signature names another Deployment id, so nothing verifies.
    const [real] = gh.deployments('staging');
    setSignedState(gh, trustOf(gh, testDeployKey()), real!.id, 'success');
    const copy = await port.createDeployment({
      ref: real!.sha,
      environment: 'staging',
      payload: real!.payload as Record<string, unknown>,
      description: '',
    });
    await port.createDeploymentStatus(copy.id, 'queued', {
      description: gh.deploymentStatuses(real!.id)[0]!.description,
    });
    const outcome = await handleConfirm(ctx, number, 'dev', digest);
    expect(outcome.phase).toBe('refused');
    expect(gh.comments(number).at(-1)?.body).toContain(
      'this plan has already been deployed; nothing is deployed twice.',
    );
    expect(ctx.recorded.warning).toContainEqual(
      `Ignored Deployment ${copy.id}: no status of it carries a valid deploy-request signature (not written by a trusted deploy-request run).`,
    );
    expect(gh.deploymentState(copy.id)).toBe('queued');
  });

  it('a prompt with no signed status at all is no prompt', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number, headSha } = openRequest(gh);
    approve(gh, number);
    const { config, request } = loaded(CONFIG, REQUEST);
    const digest = requestDigest(
      request,
      config.environments.staging!,
      headSha,
      await configSha(port),
    );
    await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number, digest, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      description: '',
    });
    const outcome = await handleConfirm(contextFor(fake), number, 'dev', digest);
    expect(outcome.phase).toBe('refused');
    expect(gh.comments(number).at(-1)?.body).toContain('there is no confirmation prompt');
  });
});

describe('errors that are not GitHub refusals propagate', () => {
  it('the gate’s refusal path: a failing comment write that is not a 403', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { 'deploy-requests/a.yml': REQUEST, 'deploy-requests/b.yml': REQUEST },
    });
    fake.inject({ call: 'createComment', status: 400, body: { message: 'bad' } });
    const ctx = contextFor(fake, { settings: { eventName: 'pull_request' } });
    await expect(handleGate(ctx, await port.getPull(number), 'main')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('requesting reviews: anything but a 422 propagates', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number } = openRequest(gh);
    fake.inject({ call: 'requestReviewers', status: 400, body: { message: 'bad' } });
    const { config } = loaded(CONFIG, REQUEST);
    const pull = await port.getPull(number);
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
        { requestReviewers: (n, u, t) => port.requestReviewers(n, ['alice', ...u], t) },
        pull,
        config.environments.staging!,
        state,
        gh.owner,
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('requesting reviews one by one after a 422: anything but a 422 still propagates', async () => {
    const fake = fakeRepoWith();
    const { gh, port } = fake;
    const { number } = openRequest(gh);
    const { config } = loaded(CONFIG, REQUEST);
    const pull = await port.getPull(number);
    const environment = config.environments.staging!;
    const state = await evaluateAtHead(port, pull, config, environment);
    const requestReviewers = vi
      .fn()
      .mockRejectedValueOnce(new GitHubConflictError('no access', 422))
      .mockRejectedValueOnce(new GitHubRequestError('bad', 400));
    await expect(
      requestCurrentStage({ requestReviewers }, pull, environment, state, gh.owner),
    ).rejects.toMatchObject({ status: 400 });
    expect(requestReviewers.mock.calls.at(-1)).toEqual([number, ['alice'], []]);
  });
});

describe('refusedReviewersNote', () => {
  it('names users and teams GitHub would not ask, and says where to fix it', () => {
    const note = refusedReviewersNote(
      { users: ['eve'], teams: ['ops'], message: '422' },
      '.github/deploy-request.yml',
      'trunk',
    );
    expect(note).toBe(
      'GitHub refused to request a review from `eve`, `team ops`: GitHub asks only collaborators of this repository. Add them under Settings → Collaborators and teams (read access is enough), or fix the approval stages in `.github/deploy-request.yml` on `trunk`. Their approvals still count when they review.',
    );
  });
});
