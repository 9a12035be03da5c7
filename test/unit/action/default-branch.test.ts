// Invariant 1 in the handlers: a request whose base is not the default branch is refused in the
// trusted runs too, and marked on the PR there (the gate runs the PR's own copy of the workflow,
// which may not run deploy-request at all); a refusal drops the hand-over marker.
import { describe, expect, it } from 'vitest';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { handleDispatch } from '../../../src/action/handle-dispatch.js';
import { handleGate } from '../../../src/action/handle-gate.js';
import { findSticky, readStickyData } from '../../../src/state/sticky-comment.js';
import {
  CONFIG,
  CONFIG_PATH,
  REQUEST,
  REQUEST_PATH,
  repoWith,
  statusOf,
  stickyOf,
} from '../../e2e/in-process/support.js';
import { contextFor, portFor } from '../support/run-context.js';

const VALIDATE = 'deploy-request/validate';

async function pullIntoEvil() {
  const gh = await repoWith();
  gh.setBranch('evil', gh.commit({ [CONFIG_PATH]: CONFIG }, gh.branch('main')!));
  const pr = gh.openPull({ author: 'dev', base: 'evil', headFiles: { [REQUEST_PATH]: REQUEST } });
  return { gh, ...pr };
}

describe('requests must target the default branch', () => {
  it('workflow_dispatch: refused with a reply, the sticky comment and the validate status', async () => {
    const { gh, number, headSha } = await pullIntoEvil();
    const outcome = await handleDispatch(contextFor(gh), number);
    expect(outcome).toMatchObject({
      phase: 'refused',
      message: expect.stringMatching(
        /^Deploy requests must target `main`: this pull request targets `evil`/,
      ),
    });
    expect(stickyOf(gh, number)).toContain('this pull request targets `evil`');
    expect(statusOf(gh, headSha, VALIDATE)).toEqual({
      state: 'failure',
      description: 'Refused: requests must target main',
    });
    expect(gh.comments(number).at(-1)?.body).toMatch(/was refused: Deploy requests must target/);
  });

  it('/confirm: refused for the same reason before any prompt is looked at', async () => {
    const { gh, number } = await pullIntoEvil();
    const outcome = await handleConfirm(contextFor(gh), number, 'dev', '0123456789abcdef');
    expect(outcome.phase).toBe('refused');
    expect(outcome.message).toMatch(/must target `main`/);
    expect(gh.count({ path: /\/deployments/ })).toBe(0);
  });

  it('the gate’s refusal drops the hand-over marker, so retargeting back hands over again', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: REQUEST } });
    for (const who of ['alice', 'olga', 'oscar']) gh.review(number, who, 'APPROVED');
    const ctx = contextFor(gh, { settings: { eventName: 'pull_request' } });
    expect((await handleGate(ctx, await portFor(gh).getPull(number), 'main')).phase).toBe(
      'approved',
    );
    const marker = async () =>
      readStickyData(findSticky(await portFor(gh).listComments(number))).handedOverSha;
    expect(await marker()).toBe(gh.pull(number).headSha);

    gh.setBranch('evil', gh.branch('main')!);
    gh.editPull(number, { base: 'evil' });
    expect((await handleGate(ctx, await portFor(gh).getPull(number), 'main')).phase).toBe(
      'refused',
    );
    expect(await marker()).toBeUndefined();

    gh.editPull(number, { base: 'main' });
    expect((await handleGate(ctx, await portFor(gh).getPull(number), 'main')).phase).toBe(
      'approved',
    );
    expect(gh.dispatches()).toHaveLength(2);
  });
});
