// Requesting reviews: a 422 (a reviewer without access) is a courtesy that failed; anything else
// propagates, also while asking one by one.
import { describe, expect, it, vi } from 'vitest';
import { GitHubConflictError, GitHubRequestError } from '../../../src/github/errors.js';
import { evaluateAtHead, requestCurrentStage } from '../../../src/steps/approval-step.js';
import { CONFIG, openRequest, REQUEST, repoWith } from '../../e2e/in-process/support.js';
import { loaded, portFor } from '../support/run-context.js';

describe('requesting reviews: errors that are not GitHub refusals propagate', () => {
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

  it('requesting reviews one by one after a 422: anything but a 422 still propagates', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const { config } = loaded(CONFIG, REQUEST);
    const pull = await portFor(gh).getPull(number);
    const environment = config.environments.staging!;
    const state = await evaluateAtHead(portFor(gh), pull, config, environment);
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
