// The one place an Octokit client is built: REST only, with retries for what is safe to retry
// and GitHub's rate limits honoured (secondary limits answer 403 + retry-after).
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';

const GitHubClient = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubClient>;

export interface ClientOptions {
  token: string;
  baseUrl: string;
  log?: (line: string) => void;
}

const MAX_LIMIT_RETRIES = 2;
const MAX_RETRY_AFTER_S = 60;

export function createClient({ token, baseUrl, log = () => {} }: ClientOptions): GitHubClient {
  return new GitHubClient({
    auth: token,
    baseUrl,
    userAgent: 'deploy-request',
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
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
}
