// Withdrawing a request (/cancel in a trusted run, pull_request closed in the gate): which prompts
// close, how, and when the environment lock is released.
import { describe, expect, it } from 'vitest';
import { trustedKey } from '../../../src/edge/trusted-key.js';
import { withdrawRequest } from '../../../src/steps/withdraw-request.js';
import { seedPrompt, setSignedState, testDeployKey, trustOf } from '../../support/signed-state.js';
import { openRequest, REQUEST, repoWith } from '../../e2e/in-process/support.js';
import { contextFor, portFor } from '../support/run-context.js';

describe('withdrawRequest', () => {
  it('queued prompts of this PR become inactive, other PRs’ are untouched; the lock is released', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const port = portFor(gh);
    const trust = trustOf(gh, testDeployKey());
    const mine = { id: await seedPrompt(gh, trust, { sha: headSha, payload: { pr: number } }) };
    const done = { id: await seedPrompt(gh, trust, { sha: headSha, payload: { pr: number } }) };
    setSignedState(gh, trust, done.id, 'failure');
    const theirs = { id: await seedPrompt(gh, trust, { sha: headSha, payload: { pr: 99 } }) };
    // A copy of this PR's prompt that the PR's own workflow could make: not ours, left alone.
    const forged = await port.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: number },
      description: '',
    });
    await port.createDeploymentStatus(forged.id, 'queued');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const ctx = contextFor(gh);
    const outcome = await withdrawRequest(
      ctx,
      await port.getPull(number),
      'Withdrawn: '.padEnd(200, 'x'),
      (await trustedKey(ctx)).state,
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
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const trust = trustOf(gh, testDeployKey());
    const id = await seedPrompt(gh, trust, { sha: headSha, payload: { pr: number } });
    gh.setBranch('deploy-request/lock/staging', headSha);
    gh.clearCalls();
    const outcome = await withdrawRequest(
      contextFor(gh),
      await portFor(gh).getPull(number),
      'Closed.',
    );
    expect(outcome).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(gh.deploymentState(id)).toBe('inactive');
    expect(gh.deploymentStatuses(id).at(-1)?.description).toBe('Closed.');
    expect(gh.branch('deploy-request/lock/staging')).toBe(headSha);
    expect(gh.calls({ path: /\/git\// }).filter((c) => c.method !== 'GET')).toEqual([]); // no contents: write
  });

  it('while a deployment of the request is running, the lock stays and the message says why', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const port = portFor(gh);
    const trust = trustOf(gh, testDeployKey());
    const running = { id: await seedPrompt(gh, trust, { sha: headSha, payload: { pr: number } }) };
    setSignedState(gh, trust, running.id, 'in_progress');
    gh.setBranch('deploy-request/lock/staging', headSha);

    const ctx = contextFor(gh);
    const outcome = await withdrawRequest(
      ctx,
      await port.getPull(number),
      'Cancelled.',
      (await trustedKey(ctx)).state,
    );
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
