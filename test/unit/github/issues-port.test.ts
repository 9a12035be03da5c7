// The port's issues: opening one is not repeated after GitHub made it and answered 502; issues as
// GitHub may send them (a deleted author, no body, labels as bare names) and pull requests left out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;

beforeEach(async () => {
  ({ gh, port } = await startPortSetup());
});
afterEach(() => gh.close());

describe('issues', () => {
  it('createIssue: GitHub opened it and answered 502: the issue is adopted, not opened twice', async () => {
    gh.inject({ method: 'POST', path: '/issues', status: 502, afterApply: true });
    const made = await port.createIssue({ title: 'Review', body: 'b', labels: ['break-glass'] });
    expect(gh.issues().map((i) => [i.number, i.title, i.labels])).toEqual([
      [made.number, 'Review', ['break-glass']],
    ]);
    expect(made.htmlUrl).toBe(`https://github.com/acme/app/issues/${made.number}`);
  });

  it('createIssue: a 502 before anything was made is sent once more', async () => {
    gh.inject({ method: 'POST', path: '/issues', status: 502 });
    const made = await port.createIssue({ title: 'Review', body: 'b', labels: [] });
    expect(gh.issues().map((i) => i.number)).toEqual([made.number]);
    expect(gh.count({ method: 'POST', path: '/issues' })).toBe(2);
  });

  it('listIssuesWithLabel: a deleted author, no body, bare label names; pull requests left out', async () => {
    gh.inject({
      method: 'GET',
      path: '/issues',
      status: 200,
      body: [
        {
          number: 7,
          state: 'open',
          user: null,
          title: 't',
          body: null,
          labels: ['break-glass', {}],
          created_at: 'c',
          closed_at: null,
          html_url: 'u',
        },
        { number: 8, pull_request: { url: 'p' } },
      ],
    });
    expect(await port.listIssuesWithLabel('break-glass')).toEqual([
      {
        number: 7,
        state: 'open',
        author: 'ghost',
        authorIsBot: false,
        title: 't',
        body: '',
        labels: ['break-glass', ''],
        createdAt: 'c',
        closedAt: null,
        htmlUrl: 'u',
      },
    ]);
  });
});
