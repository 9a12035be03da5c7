// The port's commit statuses: descriptions cut to GitHub's 140 characters, optional fields.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;

beforeEach(async () => {
  ({ gh, port } = await startPortSetup());
});
afterEach(() => gh.close());

describe('statuses', () => {
  it('set (description cut at 140 characters with …) and list; optional fields', async () => {
    const sha = gh.branch('main')!;
    await port.setStatus(sha, {
      context: 'ctx/a',
      state: 'pending',
      description: 'x'.repeat(200),
      targetUrl: 'https://run',
    });
    await port.setStatus(sha, { context: 'ctx/b', state: 'success', description: 'short' });
    const stored = gh.statuses(sha);
    expect(stored[0]!.description).toBe(`${'x'.repeat(139)}…`);
    expect(await port.listStatuses(sha)).toEqual(
      expect.arrayContaining([
        {
          context: 'ctx/a',
          state: 'pending',
          description: `${'x'.repeat(139)}…`,
          targetUrl: 'https://run',
        },
        { context: 'ctx/b', state: 'success', description: 'short', targetUrl: undefined },
      ]),
    );
    gh.inject({
      method: 'GET',
      path: `/commits/${sha}/status`,
      status: 200,
      body: { statuses: [{ context: 'c', state: 'error', description: null, target_url: null }] },
    });
    expect(await port.listStatuses(sha)).toEqual([
      { context: 'c', state: 'error', description: '', targetUrl: undefined },
    ]);
  });
});
