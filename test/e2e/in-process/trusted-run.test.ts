// main.ts run() in-process for the trusted runs that reach the servers (real sshd): the
// environment step after the hand-over, /recheck, and /confirm through to a deployed release.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/octokit-port.js';
import { buildWorkspace, checkout, DEPLOY_DEFAULTS, deployRequest } from '../deploy-scenario.js';
import {
  approveAll,
  configFor,
  serverEntry,
  useSshServers,
  type EnvironmentOverrides,
} from '../servers-scenario.js';
import { issueCommentEvent, workflowDispatchEvent } from '../../support/events.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { seedPrompt, setSignedState, trustOf } from '../../support/signed-state.js';
import { runInProcess } from '../../unit/support/in-process.js';
import { lastComment, REQUEST_PATH, repoWith, statusOf, stickyOf } from './support.js';
import { asRead as plain } from '../../support/as-read.js';

const fleet = useSshServers(1);

interface Pull {
  gh: GitHubStandIn;
  number: number;
  headSha: string;
  workspace: string;
  key: string;
}

async function approvedPull(
  o: EnvironmentOverrides & { sha256?: string; servers?: Array<Record<string, unknown>> } = {},
): Promise<Pull> {
  const { servers, clientKey } = fleet();
  const { workspace, sha256 } = buildWorkspace();
  const gh = await repoWith(
    configFor(servers, { ...o, deploy: { ...DEPLOY_DEFAULTS, ...o.deploy } }),
  );
  const { number, headSha } = gh.openPull({
    author: 'dev',
    headFiles: { [REQUEST_PATH]: deployRequest(o.sha256 ?? sha256) },
  });
  approveAll(gh, number);
  checkout(workspace, headSha);
  return { gh, number, headSha, workspace, key: clientKey.privateKey };
}

function dispatch(p: Pull) {
  return runInProcess({
    gh: p.gh,
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(p.gh, { inputs: { 'pull-request': String(p.number) } }),
    inputs: { 'ssh-private-key': p.key },
    workspace: p.workspace,
  });
}

function comment(
  p: Pull,
  user: string,
  body: string,
  inputs: Record<string, string | undefined> = {},
) {
  const id = p.gh.comment(p.number, user, body);
  return runInProcess({
    gh: p.gh,
    eventName: 'issue_comment',
    payload: issueCommentEvent(p.gh, 'created', id),
    inputs: { 'ssh-private-key': p.key, ...inputs },
    workspace: p.workspace,
  });
}

/** An approved pull request with its confirmation prompt; returns the digest. */
async function prompted(o: Parameters<typeof approvedPull>[0] = {}) {
  const p = await approvedPull(o);
  const r = await dispatch(p);
  expect(r.outputs.phase).toBe('awaiting-confirmation');
  return { ...p, digest: r.outputs.digest!, deploymentId: Number(r.outputs['deployment-id']) };
}

function releases(): string[] {
  const dir = join(fleet().servers[0]!.home, 'app/releases');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('run(): workflow_dispatch → provision, check, prompt', () => {
  it('queues the Deployment and posts the confirmation; a re-run reuses the open prompt', async () => {
    const p = await approvedPull();
    const r = await dispatch(p);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      phase: 'awaiting-confirmation',
      environment: 'staging',
      'request-file': REQUEST_PATH,
    });
    expect(r.outputs.digest).toMatch(/^[0-9a-f]{64}$/);
    const id = Number(r.outputs['deployment-id']);
    expect(p.gh.deploymentState(id)).toBe('queued');
    expect(statusOf(p.gh, p.headSha, 'deploy-request/environment')).toEqual({
      state: 'success',
      description: '1 server provisioned and checked',
    });
    const prompt =
      p.gh.comments(p.number).find((c) => c.body.includes('Confirm this deployment'))?.body ?? '';
    expect(prompt).toContain('### 🟡 Confirm this deployment');
    expect(prompt).toContain(`\`\`\`\n/confirm ${r.outputs.digest!.slice(0, 16)}\n\`\`\``);
    expect(plain(stickyOf(p.gh, p.number))).toContain(
      `@dev confirms with \`/confirm ${r.outputs.digest!.slice(0, 16)}\` before `,
    );
    expect(r.summary).toContain('Servers: 1 of 1 ready');

    const again = await dispatch(p);
    expect(again.outputs['deployment-id']).toBe(String(id));
    expect(p.gh.deployments('staging')).toHaveLength(1);
    expect(
      p.gh.comments(p.number).filter((c) => c.body.includes('Confirm this deployment')),
    ).toHaveLength(1);
  });

  it('failing checks, failed provisioning and an unreachable server: checks-failed naming each', async () => {
    const [a] = fleet().servers;
    const p = await approvedPull({
      servers: [serverEntry(a!), { ...serverEntry(a!), name: 'gone', port: 1 }],
      provision: { commands: [{ name: 'breaks', run: 'exit 3' }] },
      checks: { binaries: ['no-such-binary-dr'] },
    });
    const r = await dispatch(p);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.phase).toBe('checks-failed');
    expect(statusOf(p.gh, p.headSha, 'deploy-request/environment')).toEqual({
      state: 'failure',
      description: `2 of 2 servers failed: ${a!.name}, gone`,
    });
    expect(r.stdout).toMatch(
      new RegExp(
        `::error::Environment checks failed on ${a!.name}: provision breaks, .*no-such-binary-dr.*\\(expected .*, got .*\\); .*gone`,
      ),
    );
    expect(p.gh.deployments()).toEqual([]);
    expect(plain(stickyOf(p.gh, p.number))).toContain('then comment `/recheck`.');
  });

  it('two servers; an unsigned look-alike of the prompt is ignored: the open prompt is reused', async () => {
    const [a] = fleet().servers;
    const p = await approvedPull({
      servers: [serverEntry(a!), { ...serverEntry(a!), name: 'web-b' }],
      deploy: { parallel: 1 },
    });
    const first = await dispatch(p);
    expect(first.outputs.phase).toBe('awaiting-confirmation');
    expect(statusOf(p.gh, p.headSha, 'deploy-request/environment')?.description).toBe(
      '2 servers provisioned and checked',
    );
    const port = createGitHubPort(createClient({ token: p.gh.tokens.write, baseUrl: p.gh.url }), {
      owner: p.gh.owner,
      repo: p.gh.repo,
    });
    const bare = await port.createDeployment({
      ref: p.headSha,
      environment: 'staging',
      payload: { pr: p.number, digest: first.outputs.digest },
      description: 'no status',
    });
    await port.createDeploymentStatus(bare.id, 'success');
    const second = await dispatch(p);
    expect(second.outputs.phase).toBe('awaiting-confirmation');
    expect(second.outputs['deployment-id']).toBe(first.outputs['deployment-id']);
    expect(second.stdout).toContain(`::warning::Ignored Deployment ${bare.id}: `);
    expect(p.gh.deployments('staging')).toHaveLength(2);
  });

  it('/recheck while the plan is deploying opens no new prompt', async () => {
    const p = await prompted();
    setSignedState(p.gh, trustOf(p.gh, p.key), p.deploymentId, 'in_progress');
    const r = await comment(p, 'dev', '/recheck');
    expect(r.outputs.phase).toBe('refused');
    expect(r.stdout).toContain(
      '/recheck opened no new prompt: a deployment of this plan is in progress',
    );
    expect(p.gh.deployments('staging')).toHaveLength(1);
  });

  it('/recheck whose checks outlast the start of a /confirm opens no second prompt (invariant 5)', async () => {
    // A check that, once the test makes $HOME/hold.go, announces itself and waits for the test.
    const [server] = fleet().servers;
    const hold =
      'if [ -p "$HOME/hold.go" ]; then echo started > "$HOME/hold.started"; cat "$HOME/hold.go"; fi; echo ok';
    const p = await prompted({ checks: { commands: [{ name: 'hold', run: hold, expect: 'ok' }] } });
    const pipes = ['hold.go', 'hold.started'].map((name) => join(server!.home, name));
    for (const pipe of pipes) execFileSync('mkfifo', ['-m', '0666', pipe]);
    const running = comment(p, 'alice', '/recheck');
    await readFile(pipes[1]!); // the check is running: the first look at the prompt saw it queued
    setSignedState(p.gh, trustOf(p.gh, p.key), p.deploymentId, 'in_progress'); // a /confirm started
    await writeFile(pipes[0]!, 'go\n');
    const r = await running;
    for (const pipe of pipes) rmSync(pipe, { force: true });
    expect(r.outputs.phase).toBe('refused');
    expect(r.stdout).toContain(
      '/recheck opened no new prompt: a deployment of this plan is in progress',
    );
    expect(p.gh.deployments('staging')).toHaveLength(1);
  });

  it('/recheck by a reviewer runs the checks again and keeps the prompt', async () => {
    const p = await prompted();
    const r = await comment(p, 'alice', '/recheck');
    expect(r.outputs.phase).toBe('awaiting-confirmation');
    expect(r.outputs.digest).toBe(p.digest);
    expect(r.outputs['deployment-id']).toBe(String(p.deploymentId));
  });
});

describe('run(): /confirm', () => {
  it('deploys once: Deployment success, deploy status, result comment, sticky, summary; a replay is refused', async () => {
    const p = await prompted();
    const r = await comment(p, 'dev', `/confirm ${p.digest.slice(0, 16)}`);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      phase: 'deployed',
      result: '1/1 servers deployed',
      digest: p.digest,
      'deployment-id': String(p.deploymentId),
    });
    expect(p.gh.deploymentState(p.deploymentId)).toBe('success');
    expect(statusOf(p.gh, p.headSha, 'deploy-request/deploy')).toEqual({
      state: 'success',
      description: '1.4.2: 1/1 servers deployed',
    });
    const server = fleet().servers[0]!;
    expect(readlinkSync(join(server.home, 'app/current'))).toMatch(/^releases\/\d{8}T\d{6}Z-/);
    const result = p.gh
      .comments(p.number)
      .find((c) => c.body.startsWith('### 🚀 Deployed web 1.4.2'));
    expect(result?.body).toContain(
      '| Server | Result | Release | Health | Rolled back | Time | Error |',
    );
    expect(r.summary).toBe(result?.body);
    expect(stickyOf(p.gh, p.number)).toContain('Deploy request: deployed');
    expect(Object.keys(p.gh.refs()).filter((ref) => ref.includes('lock'))).toEqual([]);

    const before = releases();
    const again = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(again.outputs.phase).toBe('refused');
    expect(lastComment(p.gh, p.number)).toContain('already been deployed');
    expect(releases()).toEqual(before);

    // Nor does a re-run of the hand-over open a new prompt for the deployed plan.
    const rerun = await dispatch(p);
    expect(rerun.outputs.phase).toBe('refused');
    expect(lastComment(p.gh, p.number)).toContain(
      `this plan has already been deployed (deployment ${p.deploymentId}); nothing is deployed twice.`,
    );
    expect(p.gh.deployments('staging')).toHaveLength(1);
  });

  it('a failing health check: deploy-failed, the job fails, the prompt can be renewed with /recheck', async () => {
    const p = await prompted({
      deploy: { health_check: { run: 'exit 1', retries: 1, interval_s: 1 } },
    });
    const r = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ phase: 'deploy-failed', result: '0/1 servers deployed' });
    expect(r.stdout).toMatch(/::error::Deployment failed: 0\/1 servers deployed\./);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('failure');
    expect(statusOf(p.gh, p.headSha, 'deploy-request/deploy')?.state).toBe('failure');
    expect(plain(stickyOf(p.gh, p.number))).toContain('comment `/recheck` for a new prompt.');
    expect(lastComment(p.gh, p.number)).toMatch(
      /^### ❌ Deployment of web 1.4.2 to staging failed/,
    );
  });

  it('an artifact that does not match its sha256 deploys nothing; the prompt stays open (no server touched)', async () => {
    const p = await prompted({ sha256: 'f'.repeat(64) });
    const before = releases();
    const r = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(r.outputs).toMatchObject({ phase: 'refused' });
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expect(lastComment(p.gh, p.number)).toMatch(
      /`\/confirm` was refused: nothing was deployed and the prompt stays open: /,
    );
    expect(releases()).toEqual(before);
    expect(Object.keys(p.gh.refs()).filter((ref) => ref.includes('lock'))).toEqual([]);
  });

  it('without the SSH key at confirm time the job fails before taking the lock; the prompt stays open', async () => {
    const p = await prompted();
    const r = await comment(p, 'dev', `/confirm ${p.digest}`, { 'ssh-private-key': '' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::Input `ssh-private-key` is empty');
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expect(Object.keys(p.gh.refs()).filter((ref) => ref.includes('lock'))).toEqual([]);
  });

  it('after expiry the prompt is refused and withdrawn', async () => {
    const p = await prompted();
    // The trusted run's own prompt for this plan, opened long ago (its expiry is signed).
    const expired = await seedPrompt(p.gh, trustOf(p.gh, p.key), {
      sha: p.headSha,
      payload: { pr: p.number, digest: p.digest, expiresAt: '2020-01-01T00:00:00.000Z' },
    });
    const r = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(p.gh, p.number)).toContain('the confirmation prompt expired at 2020-01-01');
    expect(p.gh.deploymentState(expired)).toBe('inactive');
  });

  it('invariant 11: a prompt whose expiry was moved later (payload edited) verifies nothing', async () => {
    const p = await prompted();
    const deployment = p.gh.state.deployments.find((d) => d.id === p.deploymentId)!;
    (deployment.payload as Record<string, unknown>).expiresAt = '2099-01-01T00:00:00.000Z';
    const r = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(r.outputs.phase).toBe('refused');
    expect(lastComment(p.gh, p.number)).toContain('there is no confirmation prompt');
    expect(releases()).toEqual([]);
  });

  it('an environment locked by another commit refuses and names it; by this PR: already in progress', async () => {
    const p = await prompted();
    const other = p.gh.commit({ 'x.txt': 'x' }, p.gh.branch('main'));
    p.gh.setBranch('deploy-request/lock/staging', other);
    const busy = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(busy.outputs.phase).toBe('refused');
    expect(plain(lastComment(p.gh, p.number))).toContain(
      `environment \`staging\` is locked by commit ${other.slice(0, 7)}`,
    );
    p.gh.setBranch('deploy-request/lock/staging', p.headSha);
    const mine = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(mine.outputs.phase).toBe('refused');
    expect(lastComment(p.gh, p.number)).toContain(
      'a deployment of this pull request is already in progress.',
    );
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expect(releases()).toEqual([]);
  });

  it('a lock left by a finished deployment is taken over, with a warning', async () => {
    const p = await prompted();
    const other = p.gh.commit({ 'x.txt': 'x' }, p.gh.branch('main'));
    const trust = trustOf(p.gh, p.key);
    const old = await seedPrompt(p.gh, trust, { sha: other, payload: { pr: 99 } });
    setSignedState(p.gh, trust, old, 'success');
    p.gh.setBranch('deploy-request/lock/staging', other);
    const r = await comment(p, 'dev', `/confirm ${p.digest}`);
    expect(r.outputs.phase).toBe('deployed');
    expect(r.stdout).toContain(
      '::warning::Took over a stale lock of staging from pull request #99 (its deployment is success).',
    );
  });
});

// The fleet's server keeps its files between tests: start each test from an empty app dir.
afterEach(() => {
  const home = fleet().servers[0]!.home;
  execFileSync('rm', ['-rf', join(home, 'app'), join(home, 'activated')]);
});
