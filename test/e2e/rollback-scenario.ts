// Two request PRs deployed one after the other to the same servers (release 1, then release 2):
// where every /rollback test starts. Each test names its own deploy.path, so the releases of one
// test never become candidates in another on the shared sshd servers.
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '../support/sshd.js';
import {
  commentAndRun,
  DEPLOY_DEFAULTS,
  promptedPull,
  promptRequest,
  type Prompted,
} from './deploy-scenario.js';
import type { EnvironmentOverrides } from './servers-scenario.js';

export interface TwoReleases {
  first: Prompted;
  second: Prompted;
  /** Release ids (releases/<id>) of the first and second deployment. */
  r1: string;
  r2: string;
}

/** The release `current` points to on `server` under `path`. */
export function currentOf(server: TestServer, path: string): string {
  return readlinkSync(join(server.home, path, 'current')).replace(/^releases\//, '');
}

/** A release's ledger entry on `server`. */
export function ledgerOf(server: TestServer, path: string, id: string): Record<string, unknown> {
  const file = join(server.home, path, 'releases', id, '.deploy-request.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * Activate appends the release directory it ran in to $HOME/activations-<path>; the health check
 * fails on a server whose $HOME/unhealthy-<path> exists (a file the test controls).
 */
export function rollbackDeploy(path: string): Record<string, unknown> {
  return {
    path,
    activate: `basename "$(pwd -P)" >> "$HOME/activations-${path}"`,
    health_check: {
      ...DEPLOY_DEFAULTS.health_check,
      run: `./bin/health && test ! -f "$HOME/unhealthy-${path}"`,
      retries: 1,
    },
  };
}

export async function deployTwo(
  servers: TestServer[],
  key: string,
  path: string,
  o: EnvironmentOverrides = {},
): Promise<TwoReleases> {
  const first = await promptedPull(servers, key, { ...o, deploy: rollbackDeploy(path) });
  const one = await commentAndRun(first, 'dev', `/confirm ${first.digest}`);
  if (one.outputs.phase !== 'deployed') throw new Error(`release 1: ${one.stdout}`);
  const r1 = currentOf(servers[0]!, path);
  const second = await promptRequest(first.gh, key, {
    content: 'hello 2',
    file: 'deploy-requests/web-2.yml',
  });
  const two = await commentAndRun(second, 'dev', `/confirm ${second.digest}`);
  if (two.outputs.phase !== 'deployed') throw new Error(`release 2: ${two.stdout}`);
  const r2 = currentOf(servers[0]!, path);
  // Release ids sort by time: the test relies on release 2 being the newer one.
  if (!(r2 > r1)) throw new Error(`release ids out of order: ${r1} then ${r2}`);
  return { first, second, r1, r2 };
}

/** The newest comment as people read it: without Markdown escapes and the zero-width space after @. */
export function lastReply(p: Prompted): string {
  const body = p.gh.comments(p.number).at(-1)?.body ?? '';
  return body.replace(/\u200b/g, '').replace(/\\(.)/g, '$1');
}
