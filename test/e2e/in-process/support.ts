// A repository on the GitHub stand-in with the trusted config on main, for in-process runs of
// main.ts (test/unit/support/in-process.ts).
import { EXAMPLE_WORKFLOW } from '../../support/workflow.js';
import { readFileSync } from 'node:fs';
import { afterEach, expect } from 'vitest';
import { GitHubStandIn, type StandInOptions } from '../../support/github-stand-in/index.js';

export const CONFIG_PATH = '.github/deploy-request.yml';
export const REQUEST_PATH = 'deploy-requests/web-1.4.2.yml';
export const CONFIG = readFileSync(
  new URL('../../fixtures/config/valid.yml', import.meta.url),
  'utf8',
);
export const REQUEST = readFileSync(
  new URL('../../fixtures/requests/valid.yml', import.meta.url),
  'utf8',
);
export const VALIDATE = 'deploy-request/validate';
export const APPROVAL = 'deploy-request/approval';
export const STICKY_MARKER = '<!-- deploy-request:status -->';

const open: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gh) => gh.close()));
});

/** A started stand-in with `config` (null: none) on main, and teams team-leads and ops. */
export async function repoWith(
  config: string | null = CONFIG,
  o: StandInOptions = {},
): Promise<GitHubStandIn> {
  const gh = new GitHubStandIn({
    files: {
      ...(config === null ? {} : { [CONFIG_PATH]: config }),
      'README.md': '# app\n',
      // The workflow the runs hand over to (GITHUB_WORKFLOW_REF of in-process runs).
      '.github/workflows/deploy.yml': EXAMPLE_WORKFLOW,
    },
    teams: { 'team-leads': ['tina'], ops: ['olga', 'oscar', 'otto'] },
    ...o,
  });
  await gh.start();
  open.push(gh);
  return gh;
}

export function openRequest(
  gh: GitHubStandIn,
  o: { author?: string; draft?: boolean; fromFork?: boolean; request?: string } = {},
) {
  return gh.openPull({
    author: o.author ?? 'dev',
    draft: o.draft,
    fromFork: o.fromFork,
    headFiles: { [REQUEST_PATH]: o.request ?? REQUEST },
  });
}

export function stickyOf(gh: GitHubStandIn, pr: number): string {
  const found = gh.comments(pr).filter((c) => c.body.startsWith(STICKY_MARKER));
  expect(found).toHaveLength(1);
  return found[0]!.body;
}

export function lastComment(gh: GitHubStandIn, pr: number): string {
  return gh.comments(pr).at(-1)?.body ?? '';
}

export function statusOf(gh: GitHubStandIn, sha: string, context: string) {
  const status = gh.combinedStatus(sha).statuses.find((s) => s.context === context);
  return status && { state: status.state, description: status.description };
}

/** The config fixture with the staging stages replaced (YAML lines under `stages:`). */
export function configWithStagingStages(stages: string): string {
  const start = CONFIG.indexOf('      stages:\n');
  const end = CONFIG.indexOf('    provision:', start);
  if (start < 0 || end < 0) throw new Error('config fixture changed: no staging stages found');
  return `${CONFIG.slice(0, start)}      stages:\n${stages}${CONFIG.slice(end)}`;
}
