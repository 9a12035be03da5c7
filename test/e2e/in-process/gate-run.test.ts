// main.ts run() in-process for the gate events (pull_request, pull_request_review) against the
// GitHub stand-in: outputs, the job's result, the sticky comment, statuses and the hand-over.
import { describe, expect, it } from 'vitest';
import { pullRequestEvent, pullRequestReviewEvent } from '../../support/events.js';
import type { GitHubStandIn, ReviewStateInput } from '../../support/github-stand-in/index.js';
import { runInProcess } from '../../unit/support/in-process.js';
import {
  APPROVAL,
  CONFIG,
  configWithStagingStages,
  openRequest,
  REQUEST,
  REQUEST_PATH,
  repoWith,
  statusOf,
  stickyOf,
  VALIDATE,
} from './support.js';

function reviewRun(
  gh: GitHubStandIn,
  number: number,
  reviews: ReadonlyArray<readonly [string, ReviewStateInput]>,
  o: { inputs?: Record<string, string | undefined>; workflowRef?: string } = {},
) {
  const ids = reviews.map(([user, state]) => gh.review(number, user, state));
  return runInProcess({
    gh,
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, ids.at(-1)!),
    ...o,
  });
}

const FULL: ReadonlyArray<readonly [string, ReviewStateInput]> = [
  ['tina', 'APPROVED'],
  ['olga', 'APPROVED'],
  ['oscar', 'APPROVED'],
];

describe('run(): pull_request opened', () => {
  it('a valid request waits for approval: outputs, statuses, review requests, sticky comment, summary, masks', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({
      phase: 'awaiting-approval',
      'request-file': REQUEST_PATH,
      environment: 'staging',
      digest: '',
      'deployment-id': '',
      result: '',
    });
    expect(statusOf(gh, headSha, VALIDATE)).toEqual({
      state: 'success',
      description: 'web 1.4.2 → staging',
    });
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('pending');
    expect(gh.requestedReviewers(number)).toEqual({ users: ['alice'], teams: ['team-leads'] });
    const body = stickyOf(gh, number);
    expect(body).toContain('Deploy request: awaiting approval');
    expect(body).toContain('stage lead needs 1 more approval on this commit.');
    expect(r.summary).toContain('Deploy request: awaiting approval');
    expect(r.stdout).toContain('Requested reviews from alice, team team-leads.');
    expect(r.stdout).toContain('deploy-request: awaiting-approval: Waiting for approvals.');
    // The job's token (the gate job's permissions of the shipped workflow) and the members token.
    const jobToken = r.masks.find((m) => m.startsWith('ghs_standin_job_'));
    expect(gh.permissionsOf(jobToken!)).toMatchObject({ 'pull-requests': 'write' });
    expect(r.masks).toContain(gh.tokens.members);
  });

  it('an invalid request fails the job with line annotations, a failure status and links to the lines', async () => {
    const gh = await repoWith();
    const bad = `${REQUEST.replace('release: 1.4.2', 'release: 1.4')}colour: blue\n`;
    const { number, headSha } = openRequest(gh, { request: bad });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.phase).toBe('invalid');
    expect(r.outputs['request-file']).toBe(REQUEST_PATH);
    expect(r.annotations.filter((a) => a.level === 'error' && a.file === REQUEST_PATH)).toEqual([
      expect.objectContaining({ line: 5, title: 'deploy-request' }),
      expect.objectContaining({ line: 12 }),
    ]);
    expect(statusOf(gh, headSha, VALIDATE)).toEqual({
      state: 'failure',
      description: `2 problems in ${REQUEST_PATH}`,
    });
    const body = stickyOf(gh, number);
    expect(body).toContain('2 problems to fix:');
    expect(body).toContain(
      `(https://github.example/${gh.fullName}/blob/${headSha}/${REQUEST_PATH}#L5)`,
    );
    // The job's failure message is the outcome's message.
    expect(r.stdout).toMatch(/::error::.*is invalid: 2 problems \(see the annotations\)/);
  });

  it('one problem is counted in the singular', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh, {
      request: REQUEST.replace('release: 1.4.2', 'release: 1.4'),
    });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs.phase).toBe('invalid');
    expect(statusOf(gh, headSha, VALIDATE)?.description).toBe(`1 problem in ${REQUEST_PATH}`);
    expect(r.stdout).toContain('is invalid: 1 problem (see the annotations)');
  });

  it('without a trusted config on the default branch the request is invalid and says where to add it', async () => {
    const gh = await repoWith(null);
    const { number } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs.phase).toBe('invalid');
    expect(r.annotations.find((a) => a.level === 'error')).toMatchObject({
      file: '.github/deploy-request.yml',
      line: 1,
      message: expect.stringContaining('no trusted configuration on the default branch main'),
    });
    // A problem outside the request file is shown as code, not as a link to the request.
    expect(stickyOf(gh, number)).toContain('`.github/deploy-request.yml:1:1`');
  });

  it('a broken trusted config makes the request invalid with the config’s problems', async () => {
    const gh = await repoWith(CONFIG.replace('batch_size: 1', 'batchsize: 1'));
    const { number } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs.phase).toBe('invalid');
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /batchsize.*did you mean `batch_size`/,
    );
  });

  it('a pull request without a request file is ignored and writes nothing', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'x' } });
    gh.clearCalls();
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('ignored');
    expect(gh.count({ method: 'POST' }) + gh.count({ method: 'PATCH' })).toBe(0);
    expect(r.summary).toBe('');
  });

  it('two request files are refused with a comment and a failure status; the job stays green', async () => {
    const gh = await repoWith();
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: REQUEST, 'deploy-requests/other.yml': REQUEST },
    });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('refused');
    expect(stickyOf(gh, number)).toContain('touches 2 deploy request files');
    expect(statusOf(gh, headSha, VALIDATE)).toEqual({
      state: 'failure',
      description: 'Refused: see the deploy-request comment',
    });
    expect(r.annotations).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('touches 2') }),
    );
  });

  it('a request edited after it was merged is refused and names the file', async () => {
    const gh = await repoWith();
    gh.commitOn('main', { [REQUEST_PATH]: REQUEST });
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: REQUEST.replace('Roll out', 'Roll') },
    });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs).toMatchObject({ phase: 'refused', 'request-file': REQUEST_PATH });
    expect(stickyOf(gh, number)).toContain('already exists on the base branch (modified)');
  });

  it('a fork PR (read-only token) is refused in the log only: the comment write is forbidden', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh, { fromFork: true });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
      inputs: { 'github-token': gh.tokens.readOnly },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('refused');
    expect(r.stdout).toContain('Deploy requests from forks are refused');
    expect(r.stdout).toMatch(/Could not comment on the pull request: GitHub refused to comment/);
    expect(gh.comments(number)).toEqual([]);
  });

  it('a read-only token on a valid request fails the job with the permission to grant, no stack', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
      inputs: { 'github-token': gh.tokens.readOnly },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /::error::GitHub refused to set a commit status \(403: .*statuses: write/,
    );
    expect(r.stdout).not.toContain('unexpected error');
  });

  it('a draft asks for nothing and says to mark it ready', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh, { draft: true });
    const r = await reviewRun(gh, number, FULL);
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(gh.dispatches()).toEqual([]);
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });
    expect(stickyOf(gh, number)).toContain('mark the pull request ready for review');
  });

  it('a reviewer GitHub refuses to ask (422, not a collaborator): the others are asked, the comment says who and how to fix, approvals still count', async () => {
    // alice is no collaborator; the team-leads team (tina) has access.
    const gh = await repoWith(CONFIG, { collaborators: [] });
    const { number, headSha } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(r.stdout).toMatch(
      /::warning::GitHub refused to request a review from `alice`: .*Settings → Collaborators and teams.*`\.github\/deploy-request\.yml` on `main`.*\(GitHub: Reviews may only be requested from collaborators/,
    );
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: ['team-leads'] });
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('pending');
    expect(stickyOf(gh, number)).toMatch(
      /\*\*⚠️ Note:\*\* GitHub refused to request a review from `alice`: GitHub asks only collaborators/,
    );
    // alice's approval counts all the same (a public repository lets anyone review).
    const id = gh.review(number, 'alice', 'APPROVED');
    const approved = await runInProcess({
      gh,
      eventName: 'pull_request_review',
      payload: pullRequestReviewEvent(gh, 'submitted', number, id),
    });
    expect(approved.exitCode).toBe(0);
    expect(stickyOf(gh, number)).toMatch(/\| 1\. lead \| 1 of 1 \|/);
  });

  it('a 422 for the whole request that no single reviewer gets: everyone asked, no note', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.inject({ method: 'POST', path: /requested_reviewers$/, status: 422 });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(r.stdout).not.toContain('::warning::');
    expect(gh.requestedReviewers(number)).toEqual({ users: ['alice'], teams: ['team-leads'] });
    expect(stickyOf(gh, number)).not.toContain('Note:');
  });
});

describe('run(): pull_request_review and the hand-over', () => {
  it('all stages approved: approval success, one dispatch of the running workflow on main, once per head', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const r = await reviewRun(gh, number, FULL);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('approved');
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('success');
    expect(gh.dispatches()).toEqual([
      expect.objectContaining({
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: { 'pull-request': String(number) },
      }),
    ]);
    expect(r.stdout).toContain(
      'All stages approved: handed over to .github/workflows/deploy.yml on main.',
    );
    expect(stickyOf(gh, number)).toContain(`"handedOverSha":"${headSha}"`);
    expect(stickyOf(gh, number)).toContain('confirm.');

    // A later review on the same head: no second dispatch, and no status re-written.
    gh.clearCalls();
    const again = await reviewRun(gh, number, [['otto', 'APPROVED']]);
    expect(again.outputs.phase).toBe('approved');
    expect(gh.dispatches()).toHaveLength(1);
    expect(gh.count({ method: 'POST', path: /\/statuses\// })).toBe(0);
  });

  it('a pull_request run re-writes the statuses even when nothing changed', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const payload = pullRequestEvent(gh, 'opened', number);
    await runInProcess({ gh, eventName: 'pull_request', payload });
    gh.clearCalls();
    await runInProcess({ gh, eventName: 'pull_request', payload });
    expect(gh.count({ method: 'POST', path: /\/statuses\// })).toBe(2);
  });

  it('a hand-over GitHub refuses (no workflow file on main) is refused, red, and not marked handed over', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await reviewRun(gh, number, FULL, {
      workflowRef: `${gh.fullName}/.github/workflows/missing.yml@refs/pull/${number}/merge`,
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.phase).toBe('refused');
    expect(r.stdout).toContain(
      '::error::The hand-over could not start the trusted run: GitHub has no workflow `.github/workflows/missing.yml` on `main` (404).',
    );
    expect(gh.dispatches()).toEqual([]);
    expect(
      gh
        .comments(number)
        .map((c) => c.body)
        .join('\n'),
    ).not.toContain('handedOverSha":"');
  });

  it('approved without GITHUB_WORKFLOW_REF: a set-up error fails the job', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await reviewRun(gh, number, FULL, { workflowRef: '' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::GITHUB_WORKFLOW_REF is not set');
    expect(gh.dispatches()).toEqual([]);
  });

  it('after the first stage, the next one says how many approvals it still needs', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await reviewRun(gh, number, [['tina', 'APPROVED']]);
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(stickyOf(gh, number)).toContain('stage ops needs 2 more approvals on this commit.');
    expect(gh.requestedReviewers(number).teams).toEqual(['ops']);
  });

  it('changes requested block the request and say so', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'CHANGES_REQUESTED'],
    ]);
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(stickyOf(gh, number)).toContain('changes were requested; address them');
  });

  it('a stage that can never be met says the config needs changing', async () => {
    const gh = await repoWith(
      configWithStagingStages(
        '        - name: lead\n          reviewers: [alice, dev]\n          required: 2\n',
      ),
    );
    const { number } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(stickyOf(gh, number)).toMatch(/stage lead can never be met \(.+\); the approval stages/);
  });

  it('a dismissed review is recomputed: the approval status goes back to pending', async () => {
    const gh = await repoWith(
      configWithStagingStages(
        '        - name: lead\n          reviewers: [alice]\n          required: 1\n',
      ),
    );
    const { number, headSha } = openRequest(gh);
    const id = gh.review(number, 'alice', 'APPROVED');
    await runInProcess({
      gh,
      eventName: 'pull_request_review',
      payload: pullRequestReviewEvent(gh, 'submitted', number, id),
    });
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('success');
    gh.dismissReview(number, id);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request_review',
      payload: pullRequestReviewEvent(gh, 'dismissed', number, id),
    });
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('pending');
  });

  it('without reviews no team is read: the comment names the team, so no members token is needed yet', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
      inputs: { 'members-token': undefined },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('awaiting-approval');
    expect(gh.count({ path: /\/teams\// })).toBe(0);
    expect(stickyOf(gh, number)).toContain('1 more from: @alice, @acme/team-leads');
  });

  it('team reviewers without a members token fail with how to pass one, once a review may count through a team', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await reviewRun(gh, number, [['tina', 'APPROVED']], {
      inputs: { 'members-token': undefined },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /::error::Cannot read the members of team acme\/team-leads \(40[34]\)/,
    );
    expect(r.stdout).toContain('members-token');
  });
});

describe('run(): pull_request closed', () => {
  it('a closed request is withdrawn: cancelled, the sticky comment says so', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    gh.closePull(number);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'closed', number),
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(stickyOf(gh, number)).toContain(
      'The pull request was closed; the deploy request is withdrawn.',
    );
  });

  it('a merged request says merged', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.closePull(number, { merge: true, by: 'alice' });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'closed', number),
    });
    expect(r.outputs.phase).toBe('cancelled');
    expect(r.stdout).toContain('The pull request was merged; the deploy request is withdrawn.');
  });

  it('closing a pull request without a request is ignored', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'x' } });
    gh.closePull(number);
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'closed', number),
    });
    expect(r.outputs.phase).toBe('ignored');
    expect(gh.comments(number)).toEqual([]);
  });
});
