// SPEC §3 workflow_dispatch: after approval, provision and check real sshd servers, then create
// the Deployment (queued) and the confirmation comment. Runs dist/index.js against the stand-in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowDispatchEvent } from '../support/events.js';
import { REQUEST_PATH, repoWithConfig, run, stickyOf } from './scenario.js';
import {
  approveAll,
  configFor,
  requestFor,
  serverEntry,
  useSshServers,
} from './servers-scenario.js';

const fleet = useSshServers(3);

async function approvedPull(config: string) {
  const gh = await repoWithConfig(config);
  const { number, headSha } = gh.openPull({
    author: 'dev',
    headFiles: { [REQUEST_PATH]: requestFor() },
  });
  approveAll(gh, number);
  return { gh, number, headSha };
}

function dispatch(
  gh: Awaited<ReturnType<typeof repoWithConfig>>,
  number: number,
  key = fleet().clientKey.privateKey,
) {
  return run(gh, {
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
    inputs: { 'ssh-private-key': key },
  });
}

describe('environment step (e2e, real sshd)', () => {
  it('provisions, checks, queues the Deployment and asks to confirm; a second run changes nothing', async () => {
    const [a, b] = fleet().servers;
    const { gh, number, headSha } = await approvedPull(configFor([a!, b!]));
    const first = await dispatch(gh, number);

    expect(first.outputs.phase).toBe('awaiting-confirmation');
    expect(first.code).toBe(0);
    expect(first.outputs.digest).toMatch(/^[0-9a-f]{64}$/);
    for (const server of [a!, b!]) {
      expect(readFileSync(join(server.home, 'app/shared/app.env'), 'utf8')).toBe('PORT=8080\n');
      expect(existsSync(join(server.home, 'app/shared/.provisioned'))).toBe(true);
    }
    const deployments = gh.deployments('staging');
    expect(deployments).toHaveLength(1);
    expect(String(deployments[0]!.id)).toBe(first.outputs['deployment-id']);
    expect(deployments[0]!.sha).toBe(headSha);
    expect(gh.deploymentState(deployments[0]!.id)).toBe('queued');
    const prompt = gh.comments(number).find((c) => c.body.includes('Confirm this deployment'));
    expect(prompt?.body).toContain(`/confirm ${first.outputs.digest!.slice(0, 16)}`);
    expect(
      gh.statuses(headSha).find((s) => s.context === 'deploy-request/environment')?.state,
    ).toBe('success');
    expect(stickyOf(gh, number)).toMatch(/Servers: 2 of 2 ready/);

    const second = await dispatch(gh, number);
    expect(second.outputs.phase).toBe('awaiting-confirmation');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(gh.deployments('staging')).toHaveLength(1);
    expect(
      gh.comments(number).filter((c) => c.body.includes('Confirm this deployment')),
    ).toHaveLength(1);
    expect(second.stdout).toMatch(/provision file app\/shared\/app.env: unchanged/);
    expect(second.stdout).not.toMatch(/: (created|changed)/);
  });

  it('a failing disk check → checks-failed naming server and check; no Deployment', async () => {
    const [a] = fleet().servers;
    const { gh, number, headSha } = await approvedPull(
      configFor([a!], { checks: { disk_free: { path: '.', min_mb: 100_000_000 } } }),
    );
    const result = await dispatch(gh, number);
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${a!.name}: disk`);
    expect(gh.deployments()).toHaveLength(0);
    expect(
      gh.statuses(headSha).find((s) => s.context === 'deploy-request/environment')?.state,
    ).toBe('failure');
    expect(stickyOf(gh, number)).toMatch(/Servers: 0 of 1 ready/);
  });

  it('a host key mismatch is refused before anything runs on that server (invariant 6)', async () => {
    const [a, b] = fleet().servers;
    const wrong = { ...serverEntry(a!), host_key: b!.hostKey };
    const config = configFor([a!], {
      servers: [wrong],
      provision: { commands: [{ name: 'marker', run: 'touch mismatch-ran' }] },
    });
    const { gh, number } = await approvedPull(config);
    const result = await dispatch(gh, number);
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.stdout).toMatch(/host key/i);
    expect(result.stdout).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
    expect(existsSync(join(a!.home, 'mismatch-ran'))).toBe(false);
    expect(gh.deployments()).toHaveLength(0);
  });

  it('an unreachable server fails clearly, naming the server and its address', async () => {
    const [a] = fleet().servers;
    const closed = { ...serverEntry(a!), name: 'gone', port: 1 };
    const { gh, number } = await approvedPull(configFor([a!], { servers: [closed] }));
    const result = await dispatch(gh, number);
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.stdout).toMatch(/gone.*127\.0\.0\.1:1/);
  });

  it('a dispatch without approvals is refused and touches no server', async () => {
    const [a] = fleet().servers;
    const gh = await repoWithConfig(
      configFor([a!], {
        provision: { commands: [{ name: 'marker', run: 'touch unapproved-ran' }] },
      }),
    );
    const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: requestFor() } });
    gh.review(number, 'alice', 'APPROVED');
    const result = await dispatch(gh, number);
    expect(result.outputs.phase).toBe('refused');
    expect(gh.comments(number).at(-1)?.body).toMatch(/approvals are not complete/);
    expect(existsSync(join(a!.home, 'unapproved-ran'))).toBe(false);
  });

  it('the SSH key never appears in any output (invariant 8)', async () => {
    const [a] = fleet().servers;
    const { gh, number } = await approvedPull(configFor([a!]));
    const result = await dispatch(gh, number);
    const key = fleet().clientKey.privateKey;
    const secretLines = key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    // `::add-mask::` commands are consumed by the runner (never shown); everything else is visible.
    const visible = (text: string) =>
      text
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
    expect(result.masks).toEqual(expect.arrayContaining(secretLines));
    const everything = [
      visible(result.stdout),
      visible(result.stderr),
      result.summary,
      JSON.stringify(result.outputs),
      ...gh.comments(number).map((c) => c.body),
    ].join('\n');
    for (const line of secretLines) expect(everything).not.toContain(line);
  });
});
