// Invariants 4 and 5 through dist/index.js: every /confirm refusal says why and runs nothing;
// a lock held by another request, expiry, a new push, lost approvals; cancel and close.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullRequestEvent } from '../support/events.js';
import { seedPrompt, setSignedState, trustOf } from '../support/signed-state.js';
import { run, stickyOf } from './scenario.js';
import { useSshServers } from './servers-scenario.js';
import { commentAndRun, deployRequest, promptedPull, type Prompted } from './deploy-scenario.js';

const fleet = useSshServers(1);

function releases(): string[] {
  const dir = join(fleet().servers[0]!.home, 'app/releases');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

async function prompted(): Promise<Prompted> {
  return promptedPull(fleet().servers, fleet().clientKey.privateKey);
}

function lastReply(p: Prompted): string {
  return p.gh.comments(p.number).at(-1)?.body ?? '';
}

describe('/confirm guards (e2e)', () => {
  it('after a new push the old prompt no longer counts', async () => {
    const p = await prompted();
    const before = releases();
    p.gh.push(p.number, { 'README.md': 'changed\n' });
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /approvals are not complete|no confirmation prompt for the current head/,
    );
    expect(releases()).toEqual(before);
  });

  it('after expiry the prompt is refused and withdrawn (inactive)', async () => {
    const p = await prompted();
    // The trusted run's prompt for this plan, opened long ago (its expiry is signed with it).
    const expired = await seedPrompt(p.gh, trustOf(p.gh, p.key), {
      sha: p.headSha,
      payload: { pr: p.number, digest: p.digest, expiresAt: '2020-01-01T00:00:00.000Z' },
    });
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/expired at 2020-01-01/);
    expect(p.gh.deploymentState(expired)).toBe('inactive');
  });

  it('after an approval is dismissed the request no longer verifies', async () => {
    const p = await prompted();
    const olga = p.gh.reviews(p.number).find((r) => r.user === 'olga')!;
    p.gh.dismissReview(p.number, olga.id, 'not yet');
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/approvals are not complete/);
  });

  it('an environment locked by another request refuses, naming the holder (invariant 5)', async () => {
    const p = await prompted();
    const other = p.gh.openPull({
      author: 'erin',
      headFiles: { 'deploy-requests/other.yml': deployRequest('0'.repeat(64)) },
    });
    p.gh.setBranch('deploy-request/lock/staging', other.headSha);
    const before = releases();
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/staging\\?` is locked by commit [0-9a-f]{7}/);
    expect(releases()).toEqual(before);
  });

  it('a lock left by a finished deployment is taken over, and the log says so', async () => {
    const p = await prompted();
    const other = p.gh.openPull({
      author: 'erin',
      headFiles: { 'deploy-requests/other.yml': deployRequest('0'.repeat(64)) },
    });
    const trust = trustOf(p.gh, p.key);
    const finished = await seedPrompt(p.gh, trust, {
      sha: other.headSha,
      payload: { pr: other.number },
    });
    setSignedState(p.gh, trust, finished, 'failure');
    p.gh.setBranch('deploy-request/lock/staging', other.headSha);
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deployed');
    expect(result.stdout).toMatch(
      new RegExp(`Took over a stale lock of staging from pull request #${other.number}`),
    );
  });

  it('two /confirm runs at once deploy exactly once (invariant 5)', async () => {
    const p = await prompted();
    const before = releases();
    const [a, b] = await Promise.all([
      commentAndRun(p, 'dev', `/confirm ${p.digest}`),
      commentAndRun(p, 'dev', `/confirm ${p.digest}`),
    ]);
    expect([a.outputs.phase, b.outputs.phase].sort()).toEqual(['deployed', 'refused']);
    expect(releases().length).toBe(before.length + 1);
  });

  it('/cancel by the requester withdraws: prompt inactive, sticky says cancelled', async () => {
    const p = await prompted();
    const result = await commentAndRun(p, 'dev', '/cancel');
    expect(result.outputs.phase).toBe('cancelled');
    const [deployment] = p.gh.deployments('staging');
    expect(p.gh.deploymentState(deployment!.id)).toBe('inactive');
    expect(stickyOf(p.gh, p.number)).toMatch(/cancelled/);
    const confirm = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(confirm.outputs.phase).toBe('refused');
  });

  it('/cancel by someone else is refused', async () => {
    const p = await prompted();
    const result = await commentAndRun(p, 'mallory', '/cancel');
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/only the requester @dev may cancel/);
  });

  it('closing the PR withdraws the request', async () => {
    const p = await prompted();
    p.gh.closePull(p.number);
    const result = await run(p.gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(p.gh, 'closed', p.number),
    });
    expect(result.outputs.phase).toBe('cancelled');
    expect(p.gh.deploymentState(p.gh.deployments('staging')[0]!.id)).toBe('inactive');
  });

  it('/recheck runs provisioning and checks again for the requester, and is refused for others', async () => {
    const p = await prompted();
    const mine = await commentAndRun(p, 'dev', '/recheck');
    expect(mine.outputs.phase).toBe('awaiting-confirmation');
    expect(mine.outputs.digest).toBe(p.digest);
    expect(mine.stdout).toMatch(/provision file app\/shared\/app.env: unchanged/);
    const theirs = await commentAndRun(p, 'mallory', '/recheck');
    expect(theirs.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/only the requester and the configured reviewers/);
  });

  it('/help and unknown commands list the commands; other comments are ignored silently', async () => {
    const p = await prompted();
    const count = p.gh.comments(p.number).length;
    const help = await commentAndRun(p, 'dev', '/frobnicate now');
    expect(help.outputs.phase).toBe('ignored');
    expect(lastReply(p)).toMatch(/`\/frobnicate` is not a deploy-request command/);
    const chat = await commentAndRun(p, 'dev', 'looks good to me\n/confirm abc');
    expect(chat.outputs.phase).toBe('ignored');
    expect(p.gh.comments(p.number).length).toBe(count + 3);
  });
});
