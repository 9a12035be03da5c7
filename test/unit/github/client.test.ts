// The Octokit client: GitHub's rate limits are honoured (a short wait is retried, a long one or
// a long one is not) and each is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/github/client.js';
import {
  GitHubAccessError,
  GitHubRateLimitError,
  GitHubUnavailableError,
} from '../../../src/github/port.js';
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
    const error = await client(logs)
      .rest.repos.get(repo())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as Error).message).toBe(
      "GitHub's secondary rate limit stopped GET /repos/{owner}/{repo} (it asked to wait 120s). deploy-request waits for a rate limit only up to 60s, 2 times: re-run the job in a few minutes.",
    );
    expect(logs.filter((l) => l.includes('secondary rate limit'))).toHaveLength(1);
  });

  it.each([403, 429] as const)(
    'the primary rate limit (%i, remaining 0) until a reset an hour away is not waited for; the error names the reset',
    async (status) => {
      // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
      const logs: string[] = [];
      const reset = gh.exhaustRateLimit({ status });
      const error = await client(logs)
        .rest.repos.get(repo())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubRateLimitError);
      expect((error as Error).message).toBe(
        `GitHub's API rate limit for this token is used up (GET /repos/{owner}/{repo}); it resets at ${reset.toISOString()}. deploy-request waits for a rate limit only up to 60s, 2 times: re-run the job after the reset.`,
      );
      expect(logs).toContainEqual(
        expect.stringMatching(
          /^GitHub rate limit on GET \/repos\/\{owner\}\/\{repo\}; retrying in \d+s$/,
        ),
      );
    },
  );

  it('403s and 404s that are not rate limits are left alone', async () => {
    gh.inject({ path: '', status: 403, body: { message: 'Forbidden' } });
    await expect(client([]).rest.repos.get(repo())).rejects.toMatchObject({ status: 403 });
    gh.inject({ path: '', status: 404 });
    await expect(client([]).rest.repos.get(repo())).rejects.toMatchObject({ status: 404 });
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

  it('a 5xx or a lost connection is retried 3 times, waiting 1, 4 and 9 s; `request.retries` overrides', async () => {
    const waits: number[] = [];
    const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
    const c = createClient({ token: gh.tokens.write, baseUrl: gh.url, sleep });
    gh.inject({ method: 'GET', path: '', status: 502, times: 3 });
    expect((await c.rest.repos.get(repo())).data.default_branch).toBe('main');
    expect(waits).toEqual([1000, 4000, 9000]);
    gh.inject({ method: 'GET', path: '', status: 503, times: 4 });
    await expect(c.rest.repos.get(repo())).rejects.toThrow(/^GitHub answered 503\b.* 4 times;/);
    gh.inject({ method: 'GET', path: '', status: 500, times: 2 });
    await expect(c.rest.repos.get({ ...repo(), request: { retries: 1 } })).rejects.toThrow(
      /^GitHub answered 500\b.* 2 times;/,
    );
    waits.length = 0;
    // Nothing listens on port 9 (discard): Octokit reports a failed fetch as status 500.
    const gone = createClient({ token: 't', baseUrl: 'http://127.0.0.1:9', sleep });
    await expect(gone.rest.repos.get(repo())).rejects.toThrow(/^GitHub answered 500 .* 4 times;/);
    expect(waits).toEqual([1000, 4000, 9000]);
  });

  it('a 429 without rate-limit headers is a secondary limit (a minute when it names no wait): waited out twice, then refused', async () => {
    const logs: string[] = [];
    const waits: number[] = [];
    const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
    const c = createClient({
      token: gh.tokens.write,
      baseUrl: gh.url,
      log: (l) => logs.push(l),
      sleep,
    });
    gh.inject({
      method: 'GET',
      path: '',
      status: 429,
      times: 3,
      body: { message: 'Too many requests' },
    });
    const error = await c.rest.repos.get(repo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as Error).message).toMatch(/secondary rate limit stopped GET .* wait 60s\)/);
    expect(waits).toEqual([60_000, 60_000]);
    expect(logs).toEqual(
      Array(3).fill('GitHub secondary rate limit on GET /repos/{owner}/{repo}; retrying in 60s'),
    );
  });

  it('writes go one at a time (GitHub advises against concurrent writes); reads do not wait for them', async () => {
    const c = createClient({ token: gh.tokens.write, baseUrl: gh.url });
    const { headSha } = gh.openPull({ author: 'dev', headFiles: {} });
    gh.inject({ method: 'POST', path: /\/statuses\//, delayMs: 300 });
    const order: string[] = [];
    const status = (state: 'pending' | 'success') =>
      c.rest.repos
        .createCommitStatus({ ...repo(), sha: headSha, state, context: 'x' })
        .then(() => order.push(state));
    await Promise.all([
      status('pending'),
      status('success'),
      c.rest.repos.get(repo()).then(() => order.push('read')),
    ]);
    expect(order).toEqual(['read', 'pending', 'success']);
    // A failed write does not stop the next one.
    gh.inject({ method: 'POST', path: /\/statuses\//, status: 422 });
    const [failed, next] = await Promise.allSettled([status('pending'), status('success')]);
    expect(failed.status).toBe('rejected');
    expect(next.status).toBe('fulfilled');
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
    await expect(quiet.rest.repos.get(repo())).rejects.toBeInstanceOf(GitHubRateLimitError);
  });
});
