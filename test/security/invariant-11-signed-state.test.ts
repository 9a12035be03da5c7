// SPEC §4 invariant 11: every fact the trusted run relies on that lives in a GitHub object (the
// prompt, the deployment record, the lock holder) is authenticated with a key only trusted jobs
// hold. The attacker here is the pull request's own workflow: it runs with the same
// `github-actions[bot]` identity and `deployments: write`, so it can create, copy and extend
// Deployments and their statuses. Through dist/index.js against real sshd.
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { seedPrompt, trustOf } from '../support/signed-state.js';
import {
  lastReply,
  LOCK_REF,
  lockRefs,
  currentOf,
  OLD_RELEASE,
  promptedFlow,
  releases,
  resetHome,
  seedRelease,
  sessions,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** The PR workflow's own token: the bot identity, allowed to write Deployments. */
function attacker(gh: GitHubStandIn) {
  return createGitHubPort(createClient({ token: gh.tokens.write, baseUrl: gh.url }), {
    owner: gh.owner,
    repo: gh.repo,
  });
}

describe('invariant 11: stored facts are signed; copies and forgeries open nothing', () => {
  it('an expired prompt copied with a later expiry and a fresh queued status deploys nothing', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    // The trusted run's prompt for this very plan, expired (as if opened a day ago).
    const expired = await seedPrompt(p.gh, trustOf(p.gh, p.key), {
      sha: p.headSha,
      payload: { pr: p.number, digest: p.digest, expiresAt: '2020-01-01T00:00:00.000Z' },
    });
    const refused = await p.say('dev', `/confirm ${p.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(/expired at 2020-01-01/);
    const gh = attacker(p.gh);

    // Copy: same payload with the expiry moved a day later, and the queued status's text copied.
    const source = p.gh.deployments('staging').find((d) => d.id === expired)!;
    const copy = await gh.createDeployment({
      ref: source.sha,
      environment: 'staging',
      payload: { ...(source.payload as object), expiresAt: '2099-01-01T00:00:00.000Z' },
      description: source.description ?? '',
    });
    await gh.createDeploymentStatus(copy.id, 'queued', {
      description: p.gh.deploymentStatuses(expired)[0]!.description,
    });
    // And on the expired one itself: a new queued status (its signed expiry still says 2020).
    await gh.createDeploymentStatus(expired, 'queued', {
      description: p.gh.deploymentStatuses(expired)[0]!.description,
    });

    const attempt = await p.say('dev', `/confirm ${p.digest}`);
    expect(attempt.outputs.phase).toBe('refused');
    expect(attempt.stdout).toContain(
      `::warning::Ignored Deployment ${copy.id}: no status of it carries a valid deploy-request signature`,
    );
    expect(lastReply(p.gh, p.number)).toMatch(/expired at 2020-01-01|no longer open/);
    expect(releases(servers[0]!)).toEqual([]);
    expect(lockRefs(p.gh)).toEqual([]);
  });

  it('a forged "success" on the prompt neither blocks nor fakes a deployment; a forged "finished" holder never frees the lock', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    const gh = attacker(p.gh);
    // The PR's workflow marks the prompt successful: the trusted run still sees it open.
    await gh.createDeploymentStatus(p.deploymentId, 'success', { description: 'Deployed' });
    // A lock held by another commit whose Deployment "finished" (unsigned): not stale.
    const other = p.gh.commit({ 'x.txt': 'x' }, p.gh.branch('main'));
    const fake = await gh.createDeployment({
      ref: other,
      environment: 'staging',
      payload: { pr: 99, digest: 'f'.repeat(64) },
      description: '',
    });
    await gh.createDeploymentStatus(fake.id, 'failure', { description: 'done' });
    p.gh.setBranch('deploy-request/lock/staging', other);

    const blocked = await p.say('dev', `/confirm ${p.digest}`);
    expect(blocked.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toContain('no signed deployment record found');
    expect(p.gh.refs()[LOCK_REF]).toBe(other);
    expect(releases(servers[0]!)).toEqual([]);

    // Once the lock is gone, the same prompt deploys: the forged success closed nothing.
    p.gh.deleteBranch('deploy-request/lock/staging');
    const deployed = await p.say('dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(releases(servers[0]!)).toHaveLength(1);
  });

  it('a rollback plan forged from a deployment prompt switches nothing', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server); // an earlier complete release: what a real /rollback would offer
    const p = await promptedFlow(servers, clientKey.privateKey);
    expect((await p.say('dev', `/confirm ${p.digest}`)).outputs.phase).toBe('deployed');
    const current = currentOf(server)!;
    const gh = attacker(p.gh);
    // The PR's workflow turns a copy of the signed prompt into a rollback plan to the old release.
    const source = p.gh.deployments('staging').find((d) => d.id === p.deploymentId)!;
    const forged = await gh.createDeployment({
      ref: source.sha,
      environment: 'staging',
      payload: {
        ...(source.payload as object),
        kind: 'rollback',
        rollbackTo: OLD_RELEASE,
        expected: { 'web-1': current.slice('releases/'.length) },
        digest: 'a'.repeat(64),
      },
      description: '',
    });
    const signed = p.gh.deploymentStatuses(p.deploymentId).find((st) => st.state === 'queued')!;
    await gh.createDeploymentStatus(forged.id, 'queued', { description: signed.description });

    const before = sessions(server);
    for (const user of ['alice', 'dev']) {
      const attempt = await p.say(user, `/confirm ${'a'.repeat(16)}`);
      expect(attempt.outputs.phase).toBe('refused');
      expect(attempt.stdout).toContain(
        `::warning::Ignored Deployment ${forged.id}: no status of it carries a valid deploy-request signature`,
      );
    }
    expect(sessions(server)).toBe(before);
    expect(currentOf(server)).toBe(current);
  });
});
