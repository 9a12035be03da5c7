// Every call the job token makes, refused (403), names the permission GitHub asks for
// (permissions.ts); reading the repository itself needs none.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedMessage } from '../../../src/github/permissions.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('refusals', () => {
  it('every call the job token makes is refused with the permission GitHub asks for', async () => {
    const none = portFor(gh.tokenFor({}));
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const checks: [() => Promise<unknown>, string][] = [
      [() => none.getPull(number), 'pull-requests: read'],
      [() => none.listComments(number), 'pull-requests: read'],
      [() => none.getRefSha('heads/main'), 'contents: read'],
      [() => none.deleteRef('heads/x'), 'contents: write'],
      [() => none.createRef('heads/x', headSha), 'contents: write'],
      [() => none.listDeployments('staging'), 'deployments: read'],
      [() => none.latestDeploymentStatus(1), 'deployments: read'],
      [() => none.listStatuses(headSha), 'statuses: read'],
      [() => none.addReaction(1, 'eyes'), 'pull-requests: write'],
    ];
    for (const [call, permission] of checks) {
      await expect(call()).rejects.toThrow(`The workflow needs \`permissions: ${permission}\``);
    }
    expect(refusedMessage('createRef', undefined)).toMatch(
      /^GitHub refused to create the environment lock \(403: forbidden\)/,
    );
    // The repository itself is metadata: readable with no permission at all.
    expect(await none.getDefaultBranch()).toBe('main');
  });
});
