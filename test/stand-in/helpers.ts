// Shared set-up for the stand-in's own tests: a started stand-in and real Octokit clients.
import { Octokit } from '@octokit/rest';
import { afterEach } from 'vitest';
import { GitHubStandIn, type StandInOptions } from '../support/github-stand-in/index.js';

const started: GitHubStandIn[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((gh) => gh.close()));
});

export const repo = { owner: 'acme', repo: 'app' } as const;

export async function standIn(o: StandInOptions = {}): Promise<{
  gh: GitHubStandIn;
  octokit: (token?: string) => Octokit;
}> {
  const gh = new GitHubStandIn(o);
  await gh.start();
  started.push(gh);
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return {
    gh,
    octokit: (token = gh.tokens.write) => new Octokit({ auth: token, baseUrl: gh.url, log: quiet }),
  };
}

/** The HTTP status of a failed Octokit call (fails the test when the call succeeds). */
export async function statusOf(
  p: Promise<unknown>,
): Promise<{ status: number; message: string; body: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; message: string; response?: { data?: unknown } };
    return { status: err.status, message: err.message, body: err.response?.data };
  }
  throw new Error('expected the request to fail');
}
