import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { describe, expect, test } from 'vitest';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../support/events.js';
import { standIn } from './helpers.js';

type Obj = Record<string, unknown>;

const examples = createRequire(import.meta.url)(
  '@octokit/webhooks-examples',
) as WebhookDefinition[];

function example(name: string, action?: string): Obj {
  const def = examples.find((d) => d.name === name);
  const ex = (def?.examples as Obj[] | undefined)?.find(
    (e) => action === undefined || e.action === action,
  );
  if (!ex) throw new Error(`no example ${name}.${action}`);
  return ex;
}

/** Keys of the example (recursively, for objects) that our payload lacks. */
function missingKeys(ours: unknown, theirs: unknown, path = ''): string[] {
  if (!theirs || typeof theirs !== 'object' || Array.isArray(theirs)) return [];
  if (!ours || typeof ours !== 'object') return ours === null ? [] : [path];
  const skip = new Set([
    'installation',
    'enterprise',
    'organization',
    'performed_via_github_app',
    'license',
  ]);
  return Object.entries(theirs as Obj).flatMap(([k, v]) =>
    skip.has(k)
      ? []
      : k in (ours as Obj)
        ? missingKeys((ours as Obj)[k], v, `${path}.${k}`)
        : [`${path}.${k}`],
  );
}

describe('event payloads', () => {
  test('pull_request payloads have the example shapes and the stand-in state', async () => {
    const { gh } = await standIn();
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { 'x.yml': '1\n' },
      draft: true,
    });
    gh.setDraft(number, false);
    const opened = pullRequestEvent(gh, 'opened', number);
    expect(missingKeys(opened, example('pull_request', 'opened'))).toEqual([]);
    expect(opened).toMatchObject({
      action: 'opened',
      number,
      pull_request: { head: { sha: headSha }, user: { login: 'dev' } },
    });
    expect(pullRequestEvent(gh, 'ready_for_review', number).pull_request.draft).toBe(false);
    const next = gh.push(number, { 'x.yml': '2\n' });
    const sync = pullRequestEvent(gh, 'synchronize', number);
    expect(missingKeys(sync, example('pull_request', 'synchronize'))).toEqual([]);
    expect(sync).toMatchObject({
      before: headSha,
      after: next,
      pull_request: { head: { sha: next } },
    });
    const before = gh.editPull(number, { title: 'New title' });
    const edited = pullRequestEvent(gh, 'edited', number, {
      changes: { title: { from: before.title } },
    });
    expect(edited.changes.title?.from).toBe(before.title);
    gh.closePull(number);
    const closed = pullRequestEvent(gh, 'closed', number, { sender: 'alice' });
    expect(missingKeys(closed, example('pull_request', 'closed'))).toEqual([]);
    expect(closed).toMatchObject({
      sender: { login: 'alice' },
      pull_request: { state: 'closed', merged: false },
    });
    expect(() => pullRequestEvent(gh, 'opened', number)).toThrow(/open PR/);
    gh.reopenPull(number);
    expect(pullRequestEvent(gh, 'reopened', number).pull_request.state).toBe('open');
  });

  test('fork PRs: head.repo is the fork', async () => {
    const { gh } = await standIn();
    const { number } = gh.openPull({
      author: 'mallory',
      headFiles: { 'x.yml': '1\n' },
      fromFork: true,
    });
    const e = pullRequestEvent(gh, 'opened', number);
    expect(e.pull_request.head.repo).toMatchObject({ full_name: 'mallory/app', fork: true });
    expect(e.repository.full_name).toBe('acme/app');
  });

  test('pull_request_review payloads use lowercase states and the review commit', async () => {
    const { gh } = await standIn();
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const id = gh.review(number, 'alice', 'APPROVED');
    const submitted = pullRequestReviewEvent(gh, 'submitted', number, id);
    expect(missingKeys(submitted, example('pull_request_review', 'submitted'))).toEqual([]);
    expect(submitted).toMatchObject({
      action: 'submitted',
      sender: { login: 'alice' },
      review: { id, state: 'approved', commit_id: headSha, body: null, user: { login: 'alice' } },
      pull_request: { number, head: { sha: headSha } },
    });
    expect(() => pullRequestReviewEvent(gh, 'dismissed', number, id)).toThrow(/dismiss/);
    gh.dismissReview(number, id, 'stale');
    const dismissed = pullRequestReviewEvent(gh, 'dismissed', number, id, { sender: 'acme-admin' });
    expect(missingKeys(dismissed, example('pull_request_review', 'dismissed'))).toEqual([]);
    expect(dismissed.review.state).toBe('dismissed');
    expect(
      pullRequestReviewEvent(gh, 'edited', number, id, { changes: { body: { from: '' } } }).changes
        .body?.from,
    ).toBe('');
  });

  test('issue_comment payloads carry the issue with pull_request, and edits carry the old body', async () => {
    const { gh } = await standIn();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.yml': '1\n' } });
    const id = gh.comment(number, 'dev', '/confirm 0123456789ab');
    const created = issueCommentEvent(gh, 'created', id);
    expect(missingKeys(created, example('issue_comment', 'created'))).toEqual([]);
    expect(created).toMatchObject({
      action: 'created',
      issue: { number, pull_request: { url: expect.stringContaining(`/pulls/${number}`) } },
      comment: { id, body: '/confirm 0123456789ab', user: { login: 'dev' } },
      sender: { login: 'dev' },
    });
    const from = gh.editComment(id, '/confirm fedcba987654');
    const edited = issueCommentEvent(gh, 'edited', id, { from });
    expect(missingKeys(edited, example('issue_comment', 'edited'))).toEqual([]);
    expect(edited).toMatchObject({
      changes: { body: { from: '/confirm 0123456789ab' } },
      comment: { body: '/confirm fedcba987654' },
    });
  });

  test('workflow_dispatch payloads, also from a recorded dispatch', async () => {
    const { gh } = await standIn({ requireWorkflowFiles: false });
    const e = workflowDispatchEvent(gh, { inputs: { 'pull-request': '3' } });
    expect(missingKeys(e, example('workflow_dispatch'))).toEqual([]);
    expect(e).toMatchObject({
      ref: 'refs/heads/main',
      workflow: '.github/workflows/deploy.yml',
      inputs: { 'pull-request': '3' },
    });
    gh.dispatch('deploy.yml', 'main', { 'pull-request': '4' }, 'github-actions[bot]');
    const replay = workflowDispatchEvent(gh, gh.dispatches()[0]);
    expect(replay).toMatchObject({
      inputs: { 'pull-request': '4' },
      sender: { login: 'github-actions[bot]', type: 'Bot' },
    });
  });
});
