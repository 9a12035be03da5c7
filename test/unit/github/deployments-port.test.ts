// The port's Deployments and their statuses: required_contexts empty, payloads parsed, refusals
// named.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('deployments', () => {
  it('create (required_contexts empty), list by environment and sha, statuses, newest status', async () => {
    const sha = gh.branch('main')!;
    gh.setStatus(sha, { context: 'ci', state: 'pending' });
    const created = await port.createDeployment({
      ref: sha,
      environment: 'staging',
      payload: { pr: 7, digest: 'd' },
      description: 'web 1.4.2',
    });
    expect(created).toMatchObject({ sha, environment: 'staging', payload: { pr: 7, digest: 'd' } });
    expect(await port.latestDeploymentStatus(created.id)).toBeNull();
    await port.createDeploymentStatus(created.id, 'queued');
    await port.createDeploymentStatus(created.id, 'in_progress', {
      description: 'y'.repeat(150),
      logUrl: 'https://log',
      environmentUrl: 'https://env',
    });
    expect(await port.latestDeploymentStatus(created.id)).toEqual({
      state: 'in_progress',
      createdAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(gh.deploymentStatuses(created.id).map((s) => s.description)).toEqual([
      '',
      `${'y'.repeat(139)}…`,
    ]);
    expect((await port.listDeployments('staging', sha)).map((d) => d.id)).toEqual([created.id]);
    expect(await port.listDeployments('production')).toEqual([]);
  });

  it('a payload stored as a string is parsed; broken or missing payloads are empty', async () => {
    gh.inject({
      method: 'GET',
      path: '/deployments',
      status: 200,
      body: [
        { id: 1, sha: 's', environment: 'e', payload: '{"pr":3}', created_at: 'c' },
        { id: 2, sha: 's', environment: 'e', payload: '{broken', created_at: 'c' },
        { id: 3, sha: 's', environment: 'e', payload: null, created_at: 'c' },
      ],
    });
    expect((await port.listDeployments('e')).map((d) => d.payload)).toEqual([{ pr: 3 }, {}, {}]);
  });

  it('a deployment GitHub merged instead of creating (202) is an error; 403 names the permission', async () => {
    gh.inject({
      method: 'POST',
      path: '/deployments',
      status: 202,
      body: { message: 'Auto-merged main into topic' },
    });
    await expect(
      port.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow('GitHub did not create the deployment: Auto-merged main into topic');
    gh.inject({ method: 'POST', path: '/deployments', status: 202, body: {} });
    await expect(
      port.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow(/^GitHub did not create the deployment: $/);
    const readOnly = portFor(gh.tokens.readOnly);
    await expect(
      readOnly.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow(/deployments: write/);
    await expect(readOnly.createDeploymentStatus(1, 'queued')).rejects.toThrow(
      /GitHub refused to update the deployment/,
    );
  });
});
