// The hand-over's workflow_dispatch, and GitHub's refusals of it in plain words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubAccessError, type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('workflow dispatch', () => {
  it('dispatches by the workflow file name on a ref; 403 names actions: write', async () => {
    await port.dispatchWorkflow('.github/workflows/deploy.yml', 'main', { 'pull-request': '7' });
    expect(gh.dispatches()).toEqual([
      expect.objectContaining({
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: { 'pull-request': '7' },
      }),
    ]);
    await port.dispatchWorkflow('deploy.yml', 'main', {});
    expect(gh.dispatches()).toHaveLength(2);
    await expect(
      portFor(gh.tokens.readOnly).dispatchWorkflow('deploy.yml', 'main', {}),
    ).rejects.toThrow(/permissions: actions: write/);
  });

  it("GitHub's refusals say which and what to fix: no file (404), no trigger or a wrong input (422)", async () => {
    const refusal = (file: string, inputs: Record<string, string>) =>
      port.dispatchWorkflow(file, 'main', inputs).catch((e: unknown) => e);
    const missing = await refusal('.github/workflows/gone.yml', {});
    expect(missing).toBeInstanceOf(GitHubAccessError);
    expect((missing as Error).message).toBe(
      'The hand-over could not start the trusted run: GitHub has no workflow `.github/workflows/gone.yml` on `main` (404). Commit that file to the default branch `main` (docs/examples/workflows/deploy-request.yml), then re-run this job.',
    );
    expect(((await refusal('.github/workflows/ci.yml', {})) as Error).message).toMatch(
      /^The hand-over could not start the trusted run: GitHub refused to dispatch `\.github\/workflows\/ci\.yml` on `main` \(422: Workflow does not have 'workflow_dispatch' trigger\)\. The copy on `main` needs an `on: workflow_dispatch` trigger declaring the input `pull-request`/,
    );
    expect(((await refusal('deploy.yml', { other: '1' })) as Error).message).toContain(
      '(422: Unexpected inputs provided: ["other"])',
    );
    gh.inject({ method: 'POST', path: /\/dispatches$/, status: 422 });
    expect(((await refusal('deploy.yml', {})) as Error).message).toContain('(422: Injected fault)');
    gh.inject({ method: 'POST', path: /\/dispatches$/, status: 422, body: {} });
    expect(((await refusal('deploy.yml', {})) as Error).message).toContain('(422)');
    expect(gh.dispatches()).toEqual([]);
  });
});
