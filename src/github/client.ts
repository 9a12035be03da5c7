// The one place an Octokit client is built: REST only, with retries for what is safe to retry
// and GitHub's rate limits honoured (secondary limits answer 403 + retry-after). Writes GitHub
// must not apply twice opt out of the retries per request: see write-once.ts.
//
// One request hook does what @octokit/plugin-retry and @octokit/plugin-throttling did: both queue
// every request through Bottleneck, which cost 15-20 ms of timers per request (measured against a
// local server: 1.8 ms plain, 16-21 ms with both), a third of a dispatch run's wall time.
import { Octokit } from '@octokit/rest';
import { GitHubRateLimitError, GitHubUnavailableError } from './errors.js';
import type { GitHubClock } from './github-clock.js';

export type GitHubClient = Octokit;

export interface ClientOptions {
  token: string;
  baseUrl: string;
  log?: (line: string) => void;
  /** Fed every response's `Date` header (errors too): GitHub's clock for the run. */
  clock?: GitHubClock;
  /** How long to wait, in ms (tests of the waiting pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_LIMIT_RETRIES = 2;
const MAX_RETRY_AFTER_S = 60;
/** Retries of a 5xx or a network failure, unless the request sets `request.retries`. */
const SERVER_ERROR_RETRIES = 3;
/** When a secondary limit names no wait (GitHub: "wait at least one minute"). */
const SECONDARY_FALLBACK_S = 60;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface RequestOptions {
  method?: string;
  url?: string;
  /** `retries: 0` (write-once.ts) turns the server-error retries off for one request. */
  request?: { retries?: number };
}

interface FailedRequest {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  request?: { url?: string };
}

export function createClient({
  token,
  baseUrl,
  log = () => {},
  clock,
  sleep = wait,
}: ClientOptions): GitHubClient {
  const client = new Octokit({
    auth: token,
    baseUrl,
    userAgent: 'deploy-request',
    // Not `error`: the request log reports every non-2xx there, including the 404s and 422s the
    // port expects (no such file, lock held), which would show as warnings on every run.
    // Failures that matter are thrown and explained by the caller.
    log: { debug: () => {}, info: () => {}, warn: log, error: () => {} },
  });
  // Writes one at a time (GitHub's advice against concurrent writes); reads run freely.
  let writes: Promise<unknown> = Promise.resolve();
  client.hook.wrap('request', async (request, options) => {
    const o = options as RequestOptions;
    const send = async () => {
      let limitRetries = 0;
      let serverRetries = 0;
      for (;;) {
        try {
          const response = await request(options);
          clock?.observe(response.headers.date);
          return response;
        } catch (error) {
          const e = error as FailedRequest;
          clock?.observe(e.response?.headers?.date);
          const limit = rateLimit(e);
          if (limit) {
            const call = `${String(o.method)} ${String(o.url)}`;
            const kind = limit.primary ? 'rate limit' : 'secondary rate limit';
            log(`GitHub ${kind} on ${call}; retrying in ${limit.afterS}s`);
            if (limitRetries < MAX_LIMIT_RETRIES && limit.afterS <= MAX_RETRY_AFTER_S) {
              limitRetries += 1;
              await sleep(limit.afterS * 1000);
              continue;
            }
            throw rateLimited(e, o);
          }
          if (serverError(e) && serverRetries < (o.request?.retries ?? SERVER_ERROR_RETRIES)) {
            serverRetries += 1;
            // 1 s, 4 s, 9 s: as @octokit/plugin-retry waited.
            await sleep(serverRetries * serverRetries * 1000);
            continue;
          }
          throw unavailable(e, o, serverRetries + 1) ?? error;
        }
      }
    };
    if (o.method === 'GET' || o.method === 'HEAD') return send();
    const result = writes.then(send, send);
    writes = result.catch(() => undefined);
    return result;
  });
  return client;
}

/** 5xx, or no answer at all (Octokit reports a network failure as status 500). */
function serverError(e: FailedRequest): boolean {
  return typeof e?.status === 'number' && e.status >= 500;
}

/**
 * A rate limit and how long GitHub asks to wait, or undefined. Primary: 403/429 with
 * `x-ratelimit-remaining: 0`, until `x-ratelimit-reset` (epoch seconds; measured against the
 * answer's own `Date`, GitHub's clock). Secondary: 429, or 403 with `retry-after` or naming a
 * secondary rate limit. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
function rateLimit(e: FailedRequest): { primary: boolean; afterS: number } | undefined {
  if (e?.status !== 403 && e?.status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  if (headers['x-ratelimit-remaining'] === '0') {
    const now = Date.parse(headers.date ?? '');
    const resetMs = Number(headers['x-ratelimit-reset']) * 1000;
    const afterS = Math.ceil((resetMs - (Number.isNaN(now) ? Date.now() : now)) / 1000) + 1;
    return { primary: true, afterS: Math.max(afterS, 0) };
  }
  const secondary =
    e.status === 429 ||
    headers['retry-after'] !== undefined ||
    /\bsecondary rate\b/i.test(e.message ?? '');
  if (!secondary) return undefined;
  return { primary: false, afterS: Number(headers['retry-after']) || SECONDARY_FALLBACK_S };
}

/** The rate limit the hook gave up on (it waits at most MAX_RETRY_AFTER_S, twice). */
function rateLimited(e: FailedRequest, options: RequestOptions): GitHubRateLimitError {
  const headers = e.response?.headers ?? {};
  const call = `${String(options.method)} ${String(options.url)}`;
  const wait = `deploy-request waits for a rate limit only up to ${MAX_RETRY_AFTER_S}s, ${MAX_LIMIT_RETRIES} times`;
  if (headers['x-ratelimit-remaining'] === '0') {
    // GitHub always sends the reset (epoch seconds) with the limit.
    const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString();
    return new GitHubRateLimitError(
      `GitHub's API rate limit for this token is used up (${call}); it resets at ${reset}. ${wait}: re-run the job after the reset.`,
    );
  }
  const asked = headers['retry-after'] ?? String(SECONDARY_FALLBACK_S);
  return new GitHubRateLimitError(
    `GitHub's secondary rate limit stopped ${call} (it asked to wait ${asked}s). ${wait}: re-run the job in a few minutes.`,
  );
}

/** A 5xx after the retries, as a GitHubUnavailableError naming the call; else undefined. */
function unavailable(
  e: FailedRequest,
  options: RequestOptions,
  attempts: number,
): GitHubUnavailableError | undefined {
  if (!serverError(e)) return undefined;
  const data = e.response?.data as { message?: unknown } | undefined;
  const reason = typeof data?.message === 'string' ? ` (${data.message.slice(0, 200)})` : '';
  let path = e.request?.url ?? options.url ?? '';
  try {
    const url = new URL(path);
    path = url.pathname + url.search;
  } catch {
    /* already a path */
  }
  const times = attempts > 1 ? ` ${attempts} times` : '';
  return new GitHubUnavailableError(
    `GitHub answered ${e.status}${reason} to ${options.method ?? 'a request'} ${path}${times}; ` +
      'GitHub may be having problems (see https://www.githubstatus.com): re-run the job later.',
    e.status!,
    e.response?.headers?.date,
  );
}
