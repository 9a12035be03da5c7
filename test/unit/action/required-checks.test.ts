// require_checks in the trusted run, on the in-memory fake: red, running or missing CI stops the
// request before any server is touched (checks-failed, a table, /recheck); a config that cannot
// be met is refused naming the file; the facts read are the ones /confirm reads again, and a check
// that changed after the prompt is named in the refusal. No SSH anywhere in this file.
import { describe, expect, it } from 'vitest';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { handleDispatch } from '../../../src/action/handle-dispatch.js';
import { verifyRequest } from '../../../src/steps/verify-request.js';
import { readPolicyFacts } from '../../../src/steps/policy-facts.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { testDeployKey, trustOf } from '../../support/signed-state.js';
import {
  CONFIG,
  lastComment,
  openRequest,
  REQUEST,
  stickyOf,
} from '../../e2e/in-process/support.js';
import {
  fakeContextFor as contextFor,
  fakeRepoWith,
  seedPromptOn,
} from '../support/fake-run-context.js';

const ENVIRONMENT = 'deploy-request/environment';

/** The fixture config with require_checks on staging. */
function configWith(rule: string): string {
  const at = CONFIG.indexOf('    confirm:\n      within_hours: 24\n');
  if (at < 0) throw new Error('config fixture changed');
  return `${CONFIG.slice(0, at)}    require_checks: ${rule}\n${CONFIG.slice(at)}`;
}

const ASSET_REQUEST = REQUEST.replace(
  '  url: https://example.com/web-1.4.2.tar.gz\n',
  '  release_asset: { tag: v1.4.2, name: web.tgz }\n',
);

function approve(gh: GitHubStandIn, pr: number): void {
  for (const user of ['tina', 'olga', 'oscar']) gh.review(pr, user, 'APPROVED');
}

function approvedRepo(rule: string, request = REQUEST) {
  const fake = fakeRepoWith(configWith(rule));
  const { number, headSha } = openRequest(fake.gh, { request });
  approve(fake.gh, number);
  return { fake, gh: fake.gh, number, headSha };
}

describe('require_checks in the trusted run', () => {
  it('failing, running and missing checks: checks-failed with the table, a failure status, no server touched', async () => {
    const { fake, gh, number, headSha } = approvedRepo('{ checks: [build, test, lint, e2e] }');
    gh.addCheckRun(headSha, { name: 'build', conclusion: 'success' });
    gh.addCheckRun(headSha, { name: 'test', conclusion: 'failure' });
    gh.addCheckRun(headSha, { name: 'lint', status: 'in_progress' });
    // No settings key: the step would throw if it reached the servers.
    const ctx = contextFor(fake, { settings: { sshPrivateKey: undefined } });
    fake.clearCalls();
    const outcome = await handleDispatch(ctx, number);
    expect(outcome).toMatchObject({
      phase: 'checks-failed',
      message: `Required checks have not passed on ${headSha.slice(0, 7)} (the head commit): test (failure), lint (pending), e2e (missing).`,
    });
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('### ❌ Deploy request: required checks have not passed');
    expect(sticky).toContain('| `test` | failure | `completed: failure` | ❌ |');
    expect(sticky).toContain('| `lint` | pending | `in_progress` | ⏳ |');
    expect(sticky).toContain('| `e2e` | missing | `not reported` | ❔ |');
    expect(sticky).toContain('comment `/recheck`');
    expect(sticky).not.toContain('Servers:');
    expect(
      gh.combinedStatus(headSha).statuses.find((s) => s.context === ENVIRONMENT),
    ).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/^Required checks not passed on /),
    });
    // One read of the check runs; the statuses only because e2e has no check run.
    expect(fake.count('listCheckRuns')).toBe(1);
    expect(fake.count('listStatuses')).toBe(1);
    expect(fake.count('commitOf')).toBe(0);
    expect(gh.deployments()).toEqual([]);
  });

  it('commit statuses count too, for names no check run has', async () => {
    const { fake, gh, number, headSha } = approvedRepo('{ checks: [ci/build] }');
    gh.setStatus(headSha, { context: 'ci/build', state: 'pending' }, 'ci-bot');
    const outcome = await handleDispatch(contextFor(fake), number);
    expect(outcome.phase).toBe('checks-failed');
    expect(stickyOf(gh, number)).toContain('| `ci/build` | pending | `status: pending` | ⏳ |');
  });

  it('on: artifact with a url artifact: the hand-over is refused, naming the config file and the fix', async () => {
    const { fake, gh, number } = approvedRepo('{ checks: [build], on: artifact }');
    const outcome = await handleDispatch(contextFor(fake), number);
    expect(outcome).toMatchObject({ phase: 'refused' });
    expect(outcome.message).toContain(
      '.github/deploy-request.yml: require_checks.on: artifact needs a release_asset or path artifact',
    );
    expect(lastComment(gh, number)).toContain(
      'use on: head or publish the artifact as a release asset.',
    );
    expect(gh.deployments()).toEqual([]);
  });

  it('on: artifact with a release whose tag is missing: refused with the way out', async () => {
    const { fake, number } = approvedRepo('{ checks: [build], on: artifact }', ASSET_REQUEST);
    const outcome = await handleDispatch(contextFor(fake), number, 'dev');
    expect(outcome.message).toContain(
      'tag v1.4.2 names no commit in this repository: publish the release, then comment `/recheck`.',
    );
  });

  it("on: artifact with a release: the checks are read on the tag's commit, not the head", async () => {
    const { fake, gh, number, headSha } = approvedRepo(
      '{ checks: [build, test], on: artifact }',
      ASSET_REQUEST,
    );
    const tagged = gh.commitOn('main', { 'src/app.js': 'v1.4.2' });
    gh.setTag('v1.4.2', tagged);
    gh.addCheckRun(tagged, { name: 'build', conclusion: 'success' });
    gh.addCheckRun(tagged, { name: 'test', conclusion: 'success' });
    gh.addCheckRun(headSha, { name: 'test', conclusion: 'failure' });
    const ctx = contextFor(fake);
    const verification = await verifyRequest(ctx, number);
    if (!verification.ok) throw new Error(verification.reason);
    fake.clearCalls();
    const reading = await readPolicyFacts(ctx, verification.verified);
    expect(reading).toEqual({
      facts: { checks: { commit: tagged, states: { build: 'success', test: 'success' } } },
      requiredChecks: {
        commit: tagged,
        what: 'tag v1.4.2',
        tag: 'v1.4.2',
        passed: true,
        checks: [
          { name: 'build', state: 'success', detail: 'completed: success' },
          { name: 'test', state: 'success', detail: 'completed: success' },
        ],
      },
    });
    // Every name has a check run: the statuses are not read.
    expect(fake.calls().map((c) => c.call)).toEqual(['commitOf', 'listCheckRuns']);
    expect(fake.calls('commitOf')[0]!.args).toEqual(['tags/v1.4.2']);
  });

  it('no require_checks: no facts, no call', async () => {
    const fake = fakeRepoWith();
    const { number } = openRequest(fake.gh);
    approve(fake.gh, number);
    const ctx = contextFor(fake);
    const verification = await verifyRequest(ctx, number);
    if (!verification.ok) throw new Error(verification.reason);
    fake.clearCalls();
    expect(await readPolicyFacts(ctx, verification.verified)).toEqual({ facts: {} });
    expect(fake.count()).toBe(0);
  });
});

describe('require_checks at /confirm', () => {
  async function prompted(rule = '{ checks: [build, test] }') {
    const repo = approvedRepo(rule);
    const { gh, headSha, number, fake } = repo;
    gh.addCheckRun(headSha, { name: 'build', conclusion: 'success' });
    gh.addCheckRun(headSha, { name: 'test', conclusion: 'success' });
    const trust = trustOf(gh, testDeployKey());
    const digest = 'd'.repeat(64);
    await seedPromptOn(fake.port, trust, {
      sha: headSha,
      payload: {
        pr: number,
        digest,
        checks: { commit: headSha, states: { build: 'success', test: 'success' } },
      },
    });
    return { ...repo, digest };
  }

  it('a check that turned red after the prompt: refused, naming it; nothing deployed', async () => {
    const { fake, gh, number, headSha, digest } = await prompted();
    gh.addCheckRun(headSha, { name: 'test', conclusion: 'failure' });
    const outcome = await handleConfirm(contextFor(fake), number, 'dev', digest.slice(0, 16));
    expect(outcome.phase).toBe('refused');
    expect(outcome.message).toContain(
      `the checks on ${headSha.slice(0, 7)} changed since the prompt (test was success, is now failure). Nothing was deployed.`,
    );
    expect(fake.count('createRef')).toBe(0);
  });

  it('rollback prompts are not held to require_checks: no check is read', async () => {
    const { fake, gh, number, headSha } = approvedRepo('{ checks: [build] }');
    const trust = trustOf(gh, testDeployKey());
    await seedPromptOn(fake.port, trust, {
      sha: headSha,
      payload: { pr: number, kind: 'rollback', rollbackTo: 'r1', expected: { 'web-1': 'r2' } },
    });
    await handleConfirm(contextFor(fake), number, 'dev', 'd'.repeat(16));
    expect(fake.count('listCheckRuns')).toBe(0);
  });

  it('on: artifact with a url artifact at /confirm: refused, as the prompt would have been', async () => {
    const { fake, number } = approvedRepo('{ checks: [build], on: artifact }');
    const outcome = await handleConfirm(contextFor(fake), number, 'dev', 'd'.repeat(16));
    expect(outcome.message).toContain('require_checks.on: artifact needs a release_asset');
  });
});
