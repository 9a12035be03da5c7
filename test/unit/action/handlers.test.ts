// Handler branches that need a precise GitHub state or a race: called directly on the in-memory
// fake of GitHub (some answers replaced), no HTTP, no SSH. Nothing here depends on how GitHub's
// HTTP answers become port errors (test/unit/github/ covers that, and the contract keeps the
// fake to the real port's answers).
import { describe, expect, it } from 'vitest';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { handleGate } from '../../../src/action/handle-gate.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { setSignedState, testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest, REQUEST } from '../../e2e/in-process/support.js';
import {
  fakeContextFor as contextFor,
  fakeRepoWith,
  seedPromptOn,
} from '../support/fake-run-context.js';
import { configSha, loaded } from '../support/run-context.js';

function approve(gh: GitHubStandIn, pr: number): void {
  for (const user of ['tina', 'olga', 'oscar']) gh.review(pr, user, 'APPROVED');
}

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
});
