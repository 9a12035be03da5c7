// One GitHub stand-in and the port over it, for the tests of the port's resource slices
// (*-port.test.ts). A plain module that registers no hooks: each test file starts and closes it.
import { createClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/octokit-port.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { GitHubStandIn } from '../../support/github-stand-in/index.js';

/** A port with another token (and members token), over the same stand-in. */
export type PortFor = (token: string, membersToken?: string) => GitHubPort;

export interface PortSetup {
  gh: GitHubStandIn;
  /** With the write token and the members token. */
  port: GitHubPort;
  portFor: PortFor;
}

export async function startPortSetup(): Promise<PortSetup> {
  const gh = new GitHubStandIn({
    files: {
      'README.md': '# app\n',
      'dir/a.txt': 'a',
      '.github/workflows/deploy.yml':
        'on:\n  workflow_dispatch:\n    inputs:\n      pull-request: {}\n',
      '.github/workflows/ci.yml': 'on: push\n',
    },
    teams: { ops: ['olga', 'oscar'] },
  });
  await gh.start();
  const portFor: PortFor = (token, membersToken) =>
    createGitHubPort(
      createClient({ token, baseUrl: gh.url }),
      { owner: gh.owner, repo: gh.repo },
      membersToken ? createClient({ token: membersToken, baseUrl: gh.url }) : undefined,
      { settleMs: 0 },
    );
  return { gh, port: portFor(gh.tokens.write, gh.tokens.members), portFor };
}

/** An injected refusal with GitHub's message shape. */
export const refused = (status: number) => ({ status, body: { message: `injected ${status}` } });
