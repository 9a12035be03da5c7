// One mapping of a pull request, whether GitHub's REST answer or a webhook payload sent it.
import { describe, expect, it } from 'vitest';
import { toPullRequestInfo, type GitHubPull } from '../../../src/github/pull-request-info.js';

const pr = (o: Partial<GitHubPull> = {}): GitHubPull => ({
  number: 7,
  state: 'open',
  user: { login: 'dev', type: 'User' },
  head: { sha: 'h', repo: { full_name: 'acme/app' } },
  base: { sha: 'b', ref: 'main' },
  html_url: 'https://github.example/acme/app/pull/7',
  ...o,
});

describe('toPullRequestInfo', () => {
  it('maps the fields; absent flags are false, absent lists empty', () => {
    expect(toPullRequestInfo(pr())).toEqual({
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
      requestedUsers: [],
      requestedTeams: [],
    });
  });

  it('requested users only (teams a payload lists among reviewers, and nulls, are skipped)', () => {
    const pull = toPullRequestInfo(
      pr({
        requested_reviewers: [{ login: 'alice' }, { name: 'ops', slug: 'ops' }, null],
        requested_teams: [{ slug: 'leads' }],
      }),
    );
    expect(pull).toMatchObject({ requestedUsers: ['alice'], requestedTeams: ['leads'] });
  });

  it('the bot rule of src/domain: a "Bot" type or a [bot] login; a deleted fork', () => {
    expect(toPullRequestInfo(pr({ user: { login: 'app', type: 'Bot' } })).authorIsBot).toBe(true);
    expect(toPullRequestInfo(pr({ user: { login: 'renovate[bot]' } })).authorIsBot).toBe(true);
    const pull = toPullRequestInfo(
      pr({ head: { sha: 'h', repo: null }, merged: true, draft: true, state: 'closed' }),
    );
    expect(pull).toMatchObject({
      headRepoFullName: null,
      merged: true,
      draft: true,
      state: 'closed',
    });
  });
});
