import { afterEach, describe, expect, test } from 'vitest';
import { pullRequestEvent, issueCommentEvent, workflowDispatchEvent } from '../support/events.js';
import { inputEnvName, parseCommandFile, runAction } from '../support/run-action.js';
import { readOnly } from '../support/github-stand-in/index.js';
import { EXAMPLE_WORKFLOW, jobFor, jobPermissions, parseWorkflow } from '../support/workflow.js';
import { standIn } from './helpers.js';

const entry = new URL('./fixtures/echo-action.mjs', import.meta.url).pathname;
const saved = process.env.GITHUB_REPOSITORY;

afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_REPOSITORY;
  else process.env.GITHUB_REPOSITORY = saved;
});

describe('runAction', () => {
  test('a pull_request run: the runner environment, inputs, outputs, summary, annotations', async () => {
    const { gh } = await standIn();
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    process.env.GITHUB_REPOSITORY = 'evil/leak'; // must not reach the child
    const r = await runAction({
      gh,
      entry,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
      inputs: { 'ssh-private-key': 'KEY', 'members token': 'm' },
    });
    expect(r.code).toBe(0);
    const env = JSON.parse(r.outputs.env as string) as Record<string, string>;
    expect(env).toMatchObject({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_REF: `refs/pull/${number}/merge`,
      GITHUB_WORKFLOW_REF: `acme/app/.github/workflows/deploy-request.yml@refs/pull/${number}/merge`,
      GITHUB_HEAD_REF: `pr-${number}`,
      GITHUB_BASE_REF: 'main',
      GITHUB_ACTOR: 'dev',
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_OS: 'Linux',
      'INPUT_CONFIG-PATH': '.github/deploy-request.yml',
      'INPUT_COMMAND-PREFIX': '/',
      'INPUT_SSH-PRIVATE-KEY': 'KEY',
      INPUT_MEMBERS_TOKEN: 'm',
    });
    // The token is the gate job's of the shipped workflow (docs/examples/workflows/deploy-request.yml).
    expect(r.permissions).toEqual(jobPermissions(EXAMPLE_WORKFLOW, 'pull_request'));
    expect(gh.permissionsOf(env['INPUT_GITHUB-TOKEN'] as string)).toEqual(r.permissions);
    expect(env.GITHUB_SHA).toBe(gh.mergeRefSha(number));
    expect(env.GITHUB_SHA).not.toBe(headSha); // pull_request runs are on the merge commit
    for (const k of [
      'GITHUB_RUN_ID',
      'GITHUB_WORKSPACE',
      'GITHUB_OUTPUT',
      'GITHUB_STEP_SUMMARY',
      'GITHUB_STATE',
      'GITHUB_ENV',
      'RUNNER_TEMP',
    ]) {
      expect(env[k], k).toBeTruthy();
    }
    expect(r.outputs['event-action']).toBe('opened');
    expect(r.outputs.multi).toBe('line 1\nline 2');
    expect(r.outputs['comment-status']).toBe('201');
    expect(gh.comments(number).map((c) => [c.user, c.body])).toEqual([
      ['github-actions[bot]', 'hello from the action'],
    ]);
    expect(r.summary).toMatch(/<h1>Deploy request<\/h1>[\s\S]*<table>/);
    expect(r.annotations).toEqual([
      {
        level: 'error',
        message: 'unknown field "servrs"',
        file: 'deploy-requests/web.yml',
        line: 3,
        col: 5,
        title: 'invalid, really',
      },
      { level: 'warning', message: '100% sure: a, b' },
    ]);
    expect(r.masks).toEqual(['s3cret']);
    expect(r.state).toEqual({ step: 'one' });
    expect(r.exportedEnv).toEqual({ EXPORTED: 'yes' });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  test('a fork PR run gets every scope read; other events run on the default branch', async () => {
    const { gh } = await standIn();
    const { number } = gh.openPull({
      author: 'mallory',
      headFiles: { 'x.yml': '1\n' },
      fromFork: true,
    });
    const id = gh.comment(number, 'mallory', '/help');
    const [fork, comment, dispatch] = await Promise.all([
      runAction({
        gh,
        entry,
        eventName: 'pull_request',
        payload: pullRequestEvent(gh, 'opened', number),
        inputs: { fail: 'yes' },
      }),
      runAction({
        gh,
        entry,
        eventName: 'issue_comment',
        payload: issueCommentEvent(gh, 'created', id),
      }),
      runAction({
        gh,
        entry,
        eventName: 'workflow_dispatch',
        payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
        workflowRef: 'acme/app/.github/workflows/other.yml@refs/heads/main',
        env: { EXTRA: 'x' },
      }),
    ]);
    expect(fork.code).toBe(1);
    expect(fork.stdout).toMatch(/::error::boom/);
    expect(fork.outputs['comment-status']).toBe('403');
    expect(fork.permissions).toEqual(readOnly(jobPermissions(EXAMPLE_WORKFLOW, 'pull_request')));
    expect(Object.values(fork.permissions)).not.toContain('write');
    expect(comment.env).toMatchObject({
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: gh.branch('main'),
      GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/deploy-request.yml@refs/heads/main',
      GITHUB_ACTOR: 'mallory',
    });
    // The operate job's token: what docs/examples/workflows/deploy-request.yml grants it.
    expect(comment.permissions).toEqual(jobPermissions(EXAMPLE_WORKFLOW, 'issue_comment'));
    expect(comment.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write' });
    expect(comment.outputs['comment-status']).toBe('201');
    expect(dispatch.env).toMatchObject({
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/other.yml@refs/heads/main',
      EXTRA: 'x',
    });
  });

  test('input names and the command-file format', () => {
    expect(inputEnvName('github-token')).toBe('INPUT_GITHUB-TOKEN');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
    expect(parseCommandFile('a=1\nb<<ghadelimiter_x\nline\n\nmore\nghadelimiter_x\nc=\n')).toEqual({
      a: '1',
      b: 'line\n\nmore',
      c: '',
    });
  });

  test('permissions come from the job that handles the event; explicit ones and other workflows too', async () => {
    const wf = parseWorkflow(EXAMPLE_WORKFLOW);
    expect(jobFor(wf, 'pull_request').name).toBe('gate');
    expect(jobFor(wf, 'pull_request_review').name).toBe('gate');
    expect(jobFor(wf, 'workflow_dispatch').name).toBe('operate');
    expect(jobFor(wf, 'issue_comment').name).toBe('operate');
    expect(() => jobFor(wf, 'push')).toThrow(/no `on: push` trigger/);
    const other = 'on: [push]\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n';
    expect(jobPermissions(other, 'push')).toMatchObject({ contents: 'read', actions: 'read' });
    const two = 'on: [push]\njobs:\n  a: {}\n  b: {}\n';
    expect(() => jobPermissions(two, 'push')).toThrow(/2 jobs run for push/);
    // No permissions anywhere: GitHub's restricted default.
    expect(jobPermissions('on: push\njobs:\n  a: {}\n', 'push')).toEqual({ contents: 'read' });

    const { gh } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const id = gh.comment(number, 'dev', '/help');
    const payload = issueCommentEvent(gh, 'created', id);
    const [exact, fromText] = await Promise.all([
      runAction({ gh, entry, eventName: 'issue_comment', payload, permissions: {} }),
      runAction({
        gh,
        entry,
        eventName: 'issue_comment',
        payload,
        workflow: 'on: issue_comment\njobs:\n  c:\n    permissions: { issues: write }\n',
      }),
    ]);
    expect(exact.permissions).toEqual({});
    expect(exact.outputs['comment-status']).toBe('403');
    expect(fromText.permissions).toEqual({ issues: 'write' });
    expect(fromText.outputs['comment-status']).toBe('201');
  });
});
