// Which event a run is: GitHub's payloads reduced to the facts the handlers need; anything else
// is ignored with a reason.
import { describe, expect, it } from 'vitest';
import { parseEvent, pullFromPayload } from '../../../src/edge/event.js';

const pr = (o: Record<string, unknown> = {}) => ({
  number: 7,
  state: 'open',
  merged: null,
  draft: undefined,
  user: { login: 'dev', type: 'User' },
  head: { sha: 'h', repo: { full_name: 'acme/app' } },
  base: { sha: 'b', ref: 'main' },
  html_url: 'https://github.example/acme/app/pull/7',
  requested_reviewers: [{ login: 'alice' }, { name: 'ops', slug: 'ops' }],
  requested_teams: [{ slug: 'leads' }],
  ...o,
});

const repository = { default_branch: 'trunk' };

describe('pullFromPayload', () => {
  it('maps the payload; team entries among requested reviewers are skipped', () => {
    expect(pullFromPayload(pr() as never)).toEqual({
      number: 7,
      state: 'open',
      merged: false,
      draft: false,
      author: 'dev',
      authorIsBot: false,
      headSha: 'h',
      headRepoFullName: 'acme/app',
      baseSha: 'b',
      baseRef: 'main',
      htmlUrl: 'https://github.example/acme/app/pull/7',
      requestedUsers: ['alice'],
      requestedTeams: ['leads'],
    });
  });

  it('a bot author, a deleted fork, no reviewer lists', () => {
    const pull = pullFromPayload(
      pr({
        user: { login: 'renovate[bot]', type: 'Bot' },
        head: { sha: 'h', repo: null },
        requested_reviewers: undefined,
        requested_teams: undefined,
        merged: true,
        draft: true,
      }) as never,
    );
    expect(pull).toMatchObject({
      authorIsBot: true,
      headRepoFullName: null,
      requestedUsers: [],
      requestedTeams: [],
      merged: true,
      draft: true,
    });
  });
});

describe('parseEvent', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review', 'edited', 'closed'])(
    'pull_request %s',
    (action) => {
      expect(parseEvent('pull_request', { action, pull_request: pr(), repository })).toMatchObject({
        kind: 'pull_request',
        action,
        pull: { number: 7 },
        defaultBranch: 'trunk',
      });
    },
  );

  it('pull_request_target is handled like pull_request', () => {
    expect(
      parseEvent('pull_request_target', { action: 'opened', pull_request: pr(), repository }),
    ).toMatchObject({ kind: 'pull_request' });
  });

  it('other pull_request actions are ignored, with the action named', () => {
    expect(parseEvent('pull_request', { action: 'labeled', pull_request: pr() })).toEqual({
      kind: 'ignored',
      reason: 'pull_request labeled is not handled by deploy-request',
    });
  });

  it.each(['submitted', 'dismissed', 'edited'])('pull_request_review %s', (action) => {
    expect(
      parseEvent('pull_request_review', { action, pull_request: pr(), repository }),
    ).toMatchObject({ kind: 'pull_request_review', action, pull: { author: 'dev' } });
  });

  it('other review actions, or none, are ignored', () => {
    expect(parseEvent('pull_request_review', { action: 'requested' })).toMatchObject({
      kind: 'ignored',
      reason: 'pull_request_review requested is not handled by deploy-request',
    });
    expect(parseEvent('pull_request_review', { action: 7 })).toMatchObject({
      reason: 'pull_request_review  is not handled by deploy-request',
    });
  });

  it.each([
    [{ 'pull-request': '42' }, { kind: 'workflow_dispatch', pullNumber: 42 }],
    [{ 'pull-request': ' 42 ' }, { kind: 'workflow_dispatch', pullNumber: 42 }],
    [{ 'pull-request': 42 }, { kind: 'workflow_dispatch', pullNumber: 42 }],
  ])('workflow_dispatch %j', (inputs, event) => {
    expect(parseEvent('workflow_dispatch', { inputs })).toEqual(event);
  });

  it.each([
    [{ 'pull-request': '0' }],
    [{ 'pull-request': '-1' }],
    [{}],
    [undefined],
    [{ 'pull-request': '12345678901' }],
  ])('workflow_dispatch without a valid number %j is ignored', (inputs) => {
    expect(parseEvent('workflow_dispatch', { inputs })).toMatchObject({ kind: 'ignored' });
  });

  it('a long bad input is cut in the reason', () => {
    const event = parseEvent('workflow_dispatch', { inputs: { 'pull-request': 'x'.repeat(50) } });
    expect(event).toEqual({
      kind: 'ignored',
      reason: `workflow_dispatch without a valid \`pull-request\` input (got "${'x'.repeat(20)}") is not handled by deploy-request`,
    });
  });

  it('issue_comment on a pull request: the comment, a bot author, a missing body', () => {
    const payload = {
      action: 'created',
      issue: { number: 7, pull_request: { url: 'u' } },
      comment: {
        id: 3,
        user: { login: 'dev', type: 'User' },
        body: '/help',
        author_association: 'COLLABORATOR',
      },
    };
    expect(parseEvent('issue_comment', payload)).toEqual({
      kind: 'issue_comment',
      action: 'created',
      pullNumber: 7,
      comment: { id: 3, user: 'dev', userIsBot: false, body: '/help', association: 'COLLABORATOR' },
    });
    const bot = {
      ...payload,
      comment: { id: 4, user: { login: 'ci[bot]', type: 'Bot' }, body: null },
    };
    expect(parseEvent('issue_comment', bot)).toMatchObject({
      comment: { userIsBot: true, body: '', association: 'NONE' },
    });
  });

  it('issue_comment on an issue, or without an issue, is ignored', () => {
    expect(parseEvent('issue_comment', { action: 'created', issue: { number: 1 } })).toMatchObject({
      kind: 'ignored',
      reason: 'comment on an issue, not a pull request is not handled by deploy-request',
    });
    expect(parseEvent('issue_comment', {})).toMatchObject({ kind: 'ignored' });
  });

  it('any other event, or no payload, is ignored', () => {
    expect(parseEvent('push', null)).toEqual({
      kind: 'ignored',
      reason: 'event push is not handled by deploy-request',
    });
  });
});
