// The one place an Octokit client is built: REST only, with retries for what is safe to retry
// and GitHub's rate limits honoured (secondary limits answer 403 + retry-after). Writes GitHub
// must not apply twice opt out of the retries per request: see write-once.ts.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { GitHubRateLimitError, GitHubUnavailableError } from './errors.js';
import type { GitHubClock } from './github-clock.js';

const GitHubClient = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubClient>;

export interface ClientOptions {
  token: string;
  baseUrl: string;
  log?: (line: string) => void;
  /** Fed every response's `Date` header (errors too): GitHub's clock for the run. */
  clock?: GitHubClock;
}

const MAX_LIMIT_RETRIES = 2;
const MAX_RETRY_AFTER_S = 60;

export function createClient({
  token,
  baseUrl,
  log = () => {},
  clock,
}: ClientOptions): GitHubClient {
  const client = new GitHubClient({
    auth: token,
    baseUrl,
    userAgent: 'deploy-request',
    // Not `error`: the request log reports every non-2xx there, including the 404s and 422s the
    // port expects (no such file, lock held), which would show as warnings on every run.
    // Failures that matter are thrown and explained by the caller.
    log: { debug: () => {}, info: () => {}, warn: log, error: () => {} },
    retry: { retries: 3 },
    throttle: {
      // A run makes a handful of writes: keep them one at a time (GitHub's advice against
      // concurrent writes) without the plugin's default 1-3 s pause between them.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        log(`GitHub rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
        return retryCount < MAX_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_S;
      },
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        log(
          `GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`,
        );
        return retryCount < MAX_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_S;
      },
    },
  });
  // Outermost (registered after the plugins): sees a server error only once retries are spent.
  client.hook.wrap('request', async (request, options) => {
    try {
      const response = await request(options);
      clock?.observe(response.headers.date);
      return response;
    } catch (error) {
      clock?.observe(
        (error as { response?: { headers?: { date?: string } } }).response?.headers?.date,
      );
      throw (
        rateLimited(error, options as RequestOptions) ??
        unavailable(error, options as RequestOptions) ??
        error
      );
    }
  });
  return client;
}

interface RequestOptions {
  method?: string;
  url?: string;
  /** Set by @octokit/plugin-retry: the attempts made so far. */
  request?: { retryCount?: number };
}

/**
 * A rate limit the throttling plugin gave up on (it waits at most MAX_RETRY_AFTER_S, twice): the
 * primary limit (403/429 with `x-ratelimit-remaining: 0`, until `x-ratelimit-reset`) or a
 * secondary one (`retry-after`). https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
function rateLimited(error: unknown, options: RequestOptions): GitHubRateLimitError | undefined {
  const e = error as { status?: number; response?: { headers?: Record<string, string> } };
  if (e?.status !== 403 && e?.status !== 429) return undefined;
  // A thrown RequestError always carries its response; the hook always gets method and url.
  const headers = (e.response as { headers: Record<string, string> }).headers;
  const call = `${String(options.method)} ${String(options.url)}`;
  const wait = `deploy-request waits for a rate limit only up to ${MAX_RETRY_AFTER_S}s, ${MAX_LIMIT_RETRIES} times`;
  if (headers['x-ratelimit-remaining'] === '0') {
    // GitHub always sends the reset (epoch seconds) with the limit.
    const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString();
    return new GitHubRateLimitError(
      `GitHub's API rate limit for this token is used up (${call}); it resets at ${reset}. ${wait}: re-run the job after the reset.`,
    );
  }
  if (headers['retry-after'] !== undefined) {
    return new GitHubRateLimitError(
      `GitHub's secondary rate limit stopped ${call} (it asked to wait ${headers['retry-after']}s). ${wait}: re-run the job in a few minutes.`,
    );
  }
  return undefined;
}

/** A 5xx after the retries, as a GitHubUnavailableError naming the call; else undefined. */
function unavailable(error: unknown, options: RequestOptions): GitHubUnavailableError | undefined {
  const e = error as {
    status?: number;
    response?: { data?: unknown; headers?: { date?: string } };
    request?: { url?: string };
  };
  if (typeof e?.status !== 'number' || e.status < 500) return undefined;
  const data = e.response?.data as { message?: unknown } | undefined;
  const reason = typeof data?.message === 'string' ? ` (${data.message.slice(0, 200)})` : '';
  let path = e.request?.url ?? options.url ?? '';
  try {
    const url = new URL(path);
    path = url.pathname + url.search;
  } catch {
    /* already a path */
  }
  const attempts = options.request?.retryCount;
  const times = attempts && attempts > 1 ? ` ${attempts} times` : '';
  return new GitHubUnavailableError(
    `GitHub answered ${e.status}${reason} to ${options.method ?? 'a request'} ${path}${times}; ` +
      'GitHub may be having problems (see https://www.githubstatus.com): re-run the job later.',
    e.status,
    e.response?.headers?.date,
  );
}
