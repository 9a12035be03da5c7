// main.ts run() in-process for the trusted events that stop before any SSH (workflow_dispatch
// refusals, comment commands, the edge's own errors) against the GitHub stand-in.
import { describe, expect, it } from 'vitest';
import {
  issueCommentEvent,
  pullRequestEvent,
  workflowDispatchEvent,
} from '../../support/events.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { testDeployKey } from '../../support/signed-state.js';
import { runInProcess, type InProcessOptions } from '../../unit/support/in-process.js';
import {
  lastComment,
  openRequest,
  REQUEST,
  REQUEST_PATH,
  repoWith,
  statusOf,
  stickyOf,
} from './support.js';
import { asRead as plain } from '../../support/as-read.js';

function approve(gh: GitHubStandIn, pr: number): void {
  for (const user of ['tina', 'olga', 'oscar']) gh.review(pr, user, 'APPROVED');
}

function dispatchRun(
  gh: GitHubStandIn,
  pr: number | string,
  o: Partial<Omit<InProcessOptions, 'gh' | 'eventName' | 'payload'>> = {},
) {
  return runInProcess({
    gh,
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(pr) } }),
    ...o,
  });
}

async function commentRun(
  gh: GitHubStandIn,
  pr: number,
  user: string,
  body: string,
  action: 'created' | 'edited' = 'created',
) {
  const id = gh.comment(pr, user, body);
  const result = await runInProcess({
    gh,
    eventName: 'issue_comment',
    payload: issueCommentEvent(gh, action, id),
    // The operate job holds the deployment key; it also verifies the records runs keep.
    inputs: { 'ssh-private-key': testDeployKey() },
  });
  return { ...result, id };
}

describe('run(): workflow_dispatch refusals (before any server is touched)', () => {
  it('without a valid pull-request input the run is ignored', async () => {
    const gh = await repoWith();
    const r = await dispatchRun(gh, 'abc');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('ignored');
    expect(r.stdout).toContain(
      'workflow_dispatch without a valid `pull-request` input (got "abc")',
    );
  });

  it('a PR lacking approvals is refused with a comment that nothing ran', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await dispatchRun(gh, number);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toMatch(
      /⛔ `The trusted run` was refused: The approvals are not complete for the head commit[^]*Nothing was run\./,
    );
  });

  it('a workflow that is not the default branch’s never uses the key', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    approve(gh, number);
    const r = await dispatchRun(gh, number, {
      workflowRef: `${gh.fullName}/.github/workflows/deploy.yml@refs/heads/feature`,
    });
    expect(r.outputs.phase).toBe('refused');
    expect(plain(lastComment(gh, number))).toContain(
      'uses the workflow from `refs/heads/feature`, not from the default branch `main`',
    );
  });

  it('without any workflow ref the run says the ref is unknown', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await dispatchRun(gh, number, { workflowRef: '' });
    expect(r.outputs.phase).toBe('refused');
    expect(plain(lastComment(gh, number))).toContain('uses the workflow from `an unknown ref`');
  });

  it.each([
    [false, 'is closed; nothing is deployed for it'],
    [true, 'is merged; nothing is deployed for it'],
  ])('a closed PR (merged: %s) is refused', async (merge, text) => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.closePull(number, { merge });
    const r = await dispatchRun(gh, number);
    expect(r.outputs.phase).toBe('refused');
    expect(plain(lastComment(gh, number))).toContain(`Pull request #${number} ${text}`);
  });

  it('a PR without a request file is refused', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'x' } });
    const r = await dispatchRun(gh, number);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toContain('adds no deploy request file');
  });

  it('an invalid request is refused with the count of problems', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh, {
      request: REQUEST.replace('release: 1.4.2', 'release: 1.4'),
    });
    const r = await dispatchRun(gh, number);
    expect(r.outputs.phase).toBe('refused');
    expect(plain(lastComment(gh, number))).toContain(
      `The request \`${REQUEST_PATH}\` is not valid at the head commit (1 problem(s))`,
    );
  });

  it('a fork PR is refused with the reason', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh, { fromFork: true });
    const r = await dispatchRun(gh, number);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toContain('Deploy requests from forks are refused');
  });

  it('an approved request without the SSH key fails the job with how to pass it', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    approve(gh, number);
    const r = await dispatchRun(gh, number);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::Input `ssh-private-key` is empty');
  });

  it('an SSH key that does not parse fails the job, without echoing the key', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    approve(gh, number);
    const r = await dispatchRun(gh, number, {
      inputs: { 'ssh-private-key': 'not a key at all, really not' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::Input `ssh-private-key`: ');
    expect(r.masks).toContain('not a key at all, really not');
  });
});

describe('run(): comment commands', () => {
  it('a comment that is not a command, or from a bot, is ignored without a reaction', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const plain = await commentRun(gh, number, 'dev', 'looks good to me');
    expect(plain.outputs.phase).toBe('ignored');
    const bot = await commentRun(gh, number, 'helper[bot]', '/help');
    expect(bot.outputs.phase).toBe('ignored');
    expect(gh.reactions(plain.id)).toEqual([]);
    expect(gh.reactions(bot.id)).toEqual([]);
    expect(gh.comments(number)).toHaveLength(2);
  });

  it('a comment on an issue (not a pull request) is ignored', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const id = gh.comment(number, 'dev', '/help');
    const payload = issueCommentEvent(gh, 'created', id) as unknown as {
      issue: Record<string, unknown>;
    };
    delete payload.issue.pull_request;
    const r = await runInProcess({ gh, eventName: 'issue_comment', payload });
    expect(r.outputs.phase).toBe('ignored');
    expect(r.stdout).toContain('comment on an issue, not a pull request is not handled');
  });

  it('/help lists the commands with the configured prefix and reacts with eyes', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const id = gh.comment(number, 'dev', '!help');
    const r = await runInProcess({
      gh,
      eventName: 'issue_comment',
      payload: issueCommentEvent(gh, 'created', id),
      inputs: { 'command-prefix': '!' },
    });
    expect(r.outputs.phase).toBe('ignored');
    expect(gh.reactions(id)).toEqual([{ user: 'github-actions[bot]', content: 'eyes' }]);
    const reply = lastComment(gh, number);
    expect(reply).toContain('| `!confirm <digest>` | Deploy the plan');
    expect(reply).not.toContain('is not a deploy-request command');
  });

  it('an unknown command is named before the list', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'dev', '/deploy now');
    expect(r.outputs.phase).toBe('ignored');
    expect(lastComment(gh, number)).toMatch(/^`\/deploy` is not a deploy-request command\./);
  });

  it('an edited comment never runs a command', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'dev', '/cancel', 'edited');
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toContain('commands count only in new comments');
    expect(stickyOrNone(gh, number)).toBe(false);
  });

  it('/cancel from someone else is refused and names the requester', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'mallory', '/cancel');
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toContain('only the requester @dev may cancel this request.');
  });

  it('/cancel by the requester (any letter case) withdraws the request', async () => {
    const gh = await repoWith();
    const { number, headSha } = openRequest(gh);
    const r = await commentRun(gh, number, 'DEV', '/cancel');
    expect(r.outputs).toMatchObject({ phase: 'cancelled', environment: 'staging' });
    expect(plain(stickyOf(gh, number))).toContain('@dev cancelled the deploy request.');
    expect(statusOf(gh, headSha, 'deploy-request/validate')).toBeUndefined();
  });

  it('/cancel on a PR without a request or a status comment is ignored', async () => {
    const gh = await repoWith();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'x' } });
    const r = await commentRun(gh, number, 'dev', '/cancel');
    expect(r.outputs.phase).toBe('ignored');
    expect(r.stdout).toContain('No deploy request on this pull request.');
  });

  it('/recheck of an approved request by a stranger is refused', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    approve(gh, number);
    const r = await commentRun(gh, number, 'mallory', '/recheck');
    expect(r.outputs.phase).toBe('refused');
    expect(r.stdout).toContain('/recheck from mallory was refused.');
    expect(lastComment(gh, number)).toContain(
      'only the requester and the configured reviewers may ask for a recheck.',
    );
  });

  it('/recheck before the approvals are complete is refused with the reason', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'dev', '/recheck');
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toMatch(
      /`\/recheck` was refused: The approvals are not complete/,
    );
  });

  it('/confirm before the approvals are complete is refused; nothing is deployed', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'dev', `/confirm ${'a'.repeat(16)}`);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toMatch(
      /`\/confirm` was refused: The approvals are not complete/,
    );
    expect(gh.deployments()).toEqual([]);
  });

  it('/confirm of an approved request without a prompt is refused', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    approve(gh, number);
    const r = await commentRun(gh, number, 'dev', `/confirm ${'a'.repeat(16)}`);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(gh, number)).toContain(
      'there is no confirmation prompt for the current head',
    );
  });

  it('/confirm from someone who is not a requester is refused first', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    const r = await commentRun(gh, number, 'alice', `/confirm ${'a'.repeat(16)}`);
    expect(r.outputs.phase).toBe('refused');
    expect(plain(lastComment(gh, number))).toContain('only the requester (@dev) may confirm');
  });
});

function stickyOrNone(gh: GitHubStandIn, pr: number): boolean {
  return gh.comments(pr).some((c) => c.body.startsWith('<!-- deploy-request:status -->'));
}

describe('run(): the edge', () => {
  it('events that are not ours are ignored and the job stays green', async () => {
    const gh = await repoWith();
    const r = await runInProcess({ gh, eventName: 'push', payload: { ref: 'refs/heads/main' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.phase).toBe('ignored');
    expect(r.stdout).toContain(
      'deploy-request: ignored: event push is not handled by deploy-request',
    );
  });

  it('a rate limit that asks for more than a minute is logged as a warning and fails the run', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.inject({
      method: 'GET',
      path: /\/contents\//,
      status: 403,
      times: 2,
      headers: { 'retry-after': '600' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const r = await runInProcess({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^GitHub secondary rate limit on GET .*; retrying in 600s$/),
      }),
    );
    expect(r.stdout).toMatch(
      /::error::GitHub's secondary rate limit stopped GET .*contents.* \(it asked to wait 600s\)\. deploy-request waits for a rate limit only up to 60s, 2 times: re-run the job in a few minutes\./,
    );
    expect(r.outputs.phase).toBe('refused');
  });

  it('an empty github-token is a set-up error with the fix', async () => {
    const gh = await repoWith();
    const r = await runInProcess({
      gh,
      eventName: 'push',
      payload: {},
      inputs: { 'github-token': '' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::Input `github-token` is empty');
    // Every run sets phase: a set-up error is a refusal, and the job is red.
    expect(r.outputs).toEqual({ phase: 'refused' });
  });

  it('an unreadable event file is an unexpected error: short message, stack only in debug', async () => {
    const gh = await repoWith();
    const r = await runInProcess({
      gh,
      eventName: 'push',
      payload: {},
      env: { GITHUB_EVENT_PATH: '/nonexistent/event.json' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error::deploy-request stopped on an unexpected error: ENOENT/);
    expect(r.stdout).toMatch(/::debug::.*ENOENT[^]*at /);
    expect(r.outputs.phase).toBe('refused');
  });

  it('a membersToken builds a second client: team members are read with it', async () => {
    const gh = await repoWith();
    const { number } = openRequest(gh);
    gh.review(number, 'tina', 'APPROVED'); // a review that may count through a team
    const r = await dispatchRun(gh, number);
    expect(r.outputs.phase).toBe('refused');
    expect(gh.count({ path: /\/teams\//, token: gh.tokens.members })).toBeGreaterThan(0);
    expect(gh.count({ path: /\/teams\//, token: gh.tokens.members })).toBe(
      gh.count({ path: /\/teams\// }),
    );
  });
});
