// SPEC §3: the hand-over from the gate (pull_request_review) to the trusted workflow_dispatch run,
// §4 invariant 9 and §8 (dispatch on the default branch, never refs/pull/<n>/merge).
import { describe, expect, it } from 'vitest';
import { pullRequestReviewEvent, workflowDispatchEvent } from '../support/events.js';
import { APPROVAL, openRequest, pullRun, reviewRun, statusOf, VALIDATE } from './approval-steps.js';
import { CONFIG_PATH, CONFIG_TEXT, repoWithConfig, run, stickyOf } from './scenario.js';

const FULL_APPROVAL = [
  ['tina', 'APPROVED'],
  ['olga', 'APPROVED'],
  ['oscar', 'APPROVED'],
] as const;

const NO_STACK = /\n\s+at .*\.[cm]?js:\d+/;

describe('hand-over to the trusted run (e2e through dist/index.js)', () => {
  it('dispatches exactly once per head SHA: not again on a re-run or a later review, again after a push and re-approval', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);
    const ids = FULL_APPROVAL.map(([user, state]) => gh.review(number, user, state));
    const payload = pullRequestReviewEvent(gh, 'submitted', number, ids[2]!);

    const first = await run(gh, { eventName: 'pull_request_review', payload });
    expect(first.code).toBe(0);
    expect(first.outputs.phase).toBe('approved');
    const handover = {
      ref: 'main',
      workflow: 'deploy-request.yml',
      inputs: { 'pull-request': `${number}` },
    };
    expect(gh.dispatches()).toEqual([expect.objectContaining(handover)]);
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('success');
    expect(stickyOf(gh, number)).toContain(`"handedOverSha":"${headSha}"`);
    expect(stickyOf(gh, number)).toContain('Deploy request: approved');

    // The same event again (a re-run of the job), then a later review on the same head.
    const rerun = await run(gh, { eventName: 'pull_request_review', payload, runAttempt: 2 });
    expect(rerun.outputs.phase).toBe('approved');
    const late = await reviewRun(gh, number, [['otto', 'APPROVED']]);
    expect(late.outputs.phase).toBe('approved');
    expect(gh.dispatches()).toHaveLength(1);

    // A push makes the approvals stale; approving the new head hands over once more.
    const second = gh.push(number, { 'README.md': '# app, v2\n' });
    const pushed = await pullRun(gh, 'synchronize', number);
    expect(pushed.outputs.phase).toBe('awaiting-approval');
    expect(gh.dispatches()).toHaveLength(1);
    const again = await reviewRun(gh, number, [...FULL_APPROVAL]);
    expect(again.outputs.phase).toBe('approved');
    expect(gh.dispatches()).toEqual([
      expect.objectContaining(handover),
      expect.objectContaining(handover),
    ]);
    expect(stickyOf(gh, number)).toContain(`"handedOverSha":"${second}"`);
  });

  it('an approved draft is not handed over until it is ready for review', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh, { draft: true });
    const approved = await reviewRun(gh, number, FULL_APPROVAL);
    expect(approved.outputs.phase).toBe('awaiting-approval');
    expect(gh.dispatches()).toEqual([]);
    expect(stickyOf(gh, number)).toContain('mark the pull request ready for review');
    gh.setDraft(number, false);
    const ready = await pullRun(gh, 'ready_for_review', number);
    expect(ready.outputs.phase).toBe('approved');
    expect(gh.dispatches()).toHaveLength(1);
  });

  it('a workflow_dispatch run for a PR lacking approvals is refused with a comment, and nothing else', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);
    gh.review(number, 'tina', 'APPROVED');
    gh.clearCalls();

    const result = await run(gh, {
      eventName: 'workflow_dispatch',
      payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': `${number}` } }),
    });
    expect(result.code).toBe(0);
    expect(result.outputs.phase).toBe('refused');
    expect(result.stdout + result.stderr).not.toMatch(NO_STACK);
    const comments = gh.comments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/approvals are not complete for the head commit/);
    // One write: that comment. No status, no dispatch, no deployment, no review request.
    expect(gh.calls({}).filter((c) => c.method !== 'GET')).toHaveLength(1);
    expect(gh.statuses(headSha)).toEqual([]);
    expect(gh.dispatches()).toEqual([]);
    expect(gh.deployments()).toEqual([]);
  });

  it('a workflow_dispatch run from a workflow not on the default branch is refused, even when approved (invariant 9)', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh);
    FULL_APPROVAL.forEach(([user, state]) => gh.review(number, user, state));
    gh.setBranch('feature', gh.pull(number).headSha);
    gh.clearCalls();

    const result = await run(gh, {
      eventName: 'workflow_dispatch',
      payload: workflowDispatchEvent(gh, {
        ref: 'feature',
        inputs: { 'pull-request': `${number}` },
      }),
      workflowRef: `${gh.fullName}/.github/workflows/deploy.yml@refs/heads/feature`,
      inputs: { 'ssh-private-key': 'not-a-real-key-but-never-used' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.phase).toBe('refused');
    const [comment] = gh.comments(number);
    expect(comment?.body).toMatch(/refs\/heads\/feature.*not from the default branch.*main/);
    expect(gh.calls({}).filter((c) => c.method !== 'GET')).toHaveLength(1);
    expect(gh.deployments()).toEqual([]);
  });

  it('team reviewers without members-token fail clearly, naming members-token, without a stack trace', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh);
    const result = await reviewRun(gh, number, [['tina', 'APPROVED']], {
      'members-token': undefined,
    });
    expect(result.code).toBe(1);
    expect(result.outputs.phase).toBe('refused'); // every run sets phase
    const failure = result.annotations.find((a) => a.level === 'error');
    expect(failure?.message).toMatch(/acme\/team-leads|acme\/ops/);
    expect(failure?.message).toContain('`members-token`');
    expect(result.stdout + result.stderr).not.toMatch(NO_STACK);
    expect(gh.dispatches()).toEqual([]);
  });

  it('API calls per pull_request_review event stay within budget; the validate status is not written again', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh);
    await pullRun(gh, 'opened', number);

    gh.clearCalls();
    await reviewRun(gh, number, [['tina', 'APPROVED']]);
    const leadApproved = gh.count({});
    expect(gh.count({ method: 'POST', path: /\/statuses\// })).toBe(1); // approval only

    gh.clearCalls();
    await reviewRun(gh, number, [['olga', 'APPROVED']]);
    const opsOne = gh.count({});

    // main's tip (invariant 1: the config at the default branch's tip, not the lagging base.sha),
    // config, files, request, comments, reviews, 2 teams, approval status, sticky, + review request
    console.info(`API calls per review event: lead approves ${leadApproved}, ops 1 of 2 ${opsOne}`);
    expect(leadApproved).toBeLessThanOrEqual(11);
    expect(opsOne).toBeLessThanOrEqual(11);
  });

  it('a review that changes nothing writes nothing: no status, no review request, no sticky edit', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh);
    await pullRun(gh, 'opened', number);
    await reviewRun(gh, number, [['tina', 'APPROVED']]);
    const sticky = stickyOf(gh, number);

    // A comment-only review by someone outside the stages: the tally, the statuses, who is
    // requested (from the event payload) and the comment's body are all as they were.
    gh.clearCalls();
    const result = await reviewRun(gh, number, [['mallory', 'COMMENTED']]);
    expect(result.outputs.phase).toBe('awaiting-approval');
    expect(gh.calls({}).filter((c) => c.method !== 'GET')).toEqual([]);
    expect(stickyOf(gh, number)).toBe(sticky);
  });

  it('review runs still write the validate status when the base config changes the verdict', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);
    await pullRun(gh, 'opened', number);
    expect(statusOf(gh, headSha, VALIDATE)?.state).toBe('success');

    // The trusted config on main stops allowing the request's variable; the PR's base follows.
    gh.commitOn('main', { [CONFIG_PATH]: CONFIG_TEXT.replace('[FEATURE_CHECKOUT]', '[OTHER]') });
    gh.editPull(number, { base: 'main' });
    const invalid = await reviewRun(gh, number, [['tina', 'APPROVED']]);
    expect(invalid.outputs.phase).toBe('invalid');
    expect(statusOf(gh, headSha, VALIDATE)?.state).toBe('failure');

    gh.commitOn('main', { [CONFIG_PATH]: CONFIG_TEXT });
    gh.editPull(number, { base: 'main' });
    const valid = await reviewRun(gh, number, [['olga', 'APPROVED']]);
    expect(valid.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, VALIDATE)?.state).toBe('success');
  });
});
