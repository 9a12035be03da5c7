// The Octokit client: GitHub's rate limits are honoured (a short wait is retried, a long one or
// a long one is not) and each is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/github/client.js';
import { GitHubAccessError, GitHubUnavailableError } from '../../../src/github/port.js';
import { GitHubStandIn } from '../../support/github-stand-in/index.js';

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = new GitHubStandIn();
  await gh.start();
});
afterEach(() => gh.close());

function client(logs: string[]) {
  return createClient({ token: gh.tokens.write, baseUrl: gh.url, log: (l) => logs.push(l) });
}

const repo = () => ({ owner: gh.owner, repo: gh.repo });

describe('createClient', () => {
  it('a secondary rate limit with a short retry-after is waited out and retried, and logged', async () => {
    const logs: string[] = [];
    gh.injectSecondaryRateLimit('', 1, 'GET');
    const { data } = await client(logs).rest.repos.get(repo());
    expect(data.default_branch).toBe('main');
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^GitHub secondary rate limit on GET \/repos\/\{owner\}\/\{repo\}; retrying in 1s$/,
      ),
    );
  });

  it('a secondary rate limit asking for more than a minute is not retried', async () => {
    const logs: string[] = [];
    gh.inject({
      method: 'GET',
      path: '',
      status: 403,
      headers: { 'retry-after': '120' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    await expect(client(logs).rest.repos.get(repo())).rejects.toMatchObject({ status: 403 });
    expect(logs.filter((l) => l.includes('secondary rate limit'))).toHaveLength(1);
  });

  it('the primary rate limit until a reset an hour away is not waited for, and is logged', async () => {
    const logs: string[] = [];
    gh.inject({
      method: 'GET',
      path: '',
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      },
      body: { message: 'API rate limit exceeded' },
    });
    await expect(client(logs).rest.repos.get(repo())).rejects.toMatchObject({ status: 403 });
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^GitHub rate limit on GET \/repos\/\{owner\}\/\{repo\}; retrying in \d+s$/,
      ),
    );
  });

  it('a server error (once retries are spent) names the call and says to re-run later', async () => {
    gh.inject({ method: 'GET', path: '', status: 502, body: { message: 'Bad gateway' } });
    const error = await client([])
      .rest.repos.get({ ...repo(), request: { retries: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect(error).toMatchObject({
      name: 'GitHubUnavailableError',
      status: 502,
      date: expect.stringMatching(/ GMT$/), // GitHub's clock in the answer
      message: `GitHub answered 502 (Bad gateway) to GET /repos/${gh.owner}/${gh.repo}; GitHub may be having problems (see https://www.githubstatus.com): re-run the job later.`,
    });
  });

  it('a server error without a message; client errors are left as they are', async () => {
    gh.inject({ method: 'GET', path: '', status: 500, body: [] });
    await expect(client([]).rest.repos.get({ ...repo(), request: { retries: 0 } })).rejects.toThrow(
      /^GitHub answered 500 to GET \/repos\/[^ ]+; GitHub may be having problems/,
    );
    gh.inject({ method: 'GET', path: '', status: 400, body: { message: 'bad' } });
    const error = await client([])
      .rest.repos.get(repo())
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(GitHubUnavailableError);
    expect(error).toMatchObject({ status: 400 });
  });

  it('without a log function, a rate limit is still honoured, silently', async () => {
    gh.inject({
      method: 'GET',
      path: '',
      status: 403,
      headers: { 'retry-after': '600' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const quiet = createClient({ token: gh.tokens.write, baseUrl: gh.url });
    await expect(quiet.rest.repos.get(repo())).rejects.toMatchObject({ status: 403 });
  });
});
