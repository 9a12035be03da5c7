// Deployment windows and freezes through dist/index.js, the stand-in and real sshd. The stand-in's
// clock is GitHub's clock for the action (the Date header): the test moves it, nothing sleeps.
// One prompt, three /confirms: outside the windows (refused, nothing touched), in a freeze
// (refused with its reason), inside a window (deployed).
import { dump, load } from 'js-yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { lockRefs, releases, resetHome, sessions } from '../security/support.js';
import { commentAndRun, DEPLOY_DEFAULTS, promptRequest } from './deploy-scenario.js';
import { repoWithConfig } from './scenario.js';
import { configFor, useSshServers } from './servers-scenario.js';
import { asRead as plain } from '../support/as-read.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const WINDOWS = {
  timezone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '16:00' }],
  freezes: [
    { from: '2026-12-07', to: '2026-12-07', reason: 'release train' },
    { from: '2026-12-20', to: '2027-01-04', reason: 'holiday freeze' },
  ],
};

describe('deployment windows and freezes (e2e)', { timeout: 120_000 }, () => {
  it('the prompt shows the window; /confirm is refused when closed and when frozen, then deploys inside the window', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const config = load(
      configFor(servers, { deploy: DEPLOY_DEFAULTS, confirm: { within_hours: 96 } }),
    ) as { environments: { staging: Record<string, unknown> } };
    config.environments.staging.windows = WINDOWS;
    const gh = await repoWithConfig(dump(config, { lineWidth: 200 }));
    gh.clock.set('2026-12-04T16:00:00Z'); // Friday 17:00 in Berlin; Monday is frozen
    const p = await promptRequest(gh, clientKey.privateKey);

    const line = '`staging`: closed — next opens Tue 8 Dec 09:00 CET (Europe/Berlin)';
    const prompt = gh.comments(p.number).find((c) => c.body.includes('Confirm this'))!.body;
    expect(plain(prompt)).toContain(`| Window | ${line} |`);
    expect(plain(prompt)).toContain('which the digest binds');
    const sticky = gh.comments(p.number).find((c) => c.body.includes('deploy-request:status'));
    expect(plain(sticky!.body)).toContain(`**🕘 Window:** ${line}`);

    const deploymentId = gh.deployments('staging')[0]!.id;
    const [before, opened] = [sessions(server), releases(server)];
    const closed = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(closed.outputs.phase).toBe('refused');
    expect(plain(gh.comments(p.number).at(-1)!.body)).toContain(
      '`/confirm` was refused: nothing was deployed and the prompt stays open: `staging` is outside its deployment windows; confirm again from Tue 8 Dec 09:00 CET (Europe/Berlin).',
    );
    expect(sessions(server)).toBe(before);
    expect(releases(server)).toEqual(opened);
    expect(lockRefs(gh)).toEqual([]);
    expect(gh.deploymentState(deploymentId)).toBe('queued');

    gh.clock.set('2026-12-07T09:00:00Z'); // Monday 10:00, inside the window but frozen
    const frozen = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(frozen.outputs.phase).toBe('refused');
    expect(plain(gh.comments(p.number).at(-1)!.body)).toContain(
      '`staging` is frozen until Mon 7 Dec (release train); confirm again from Tue 8 Dec 09:00 CET (Europe/Berlin).',
    );
    expect(sessions(server)).toBe(before);
    expect(lockRefs(gh)).toEqual([]);

    gh.clock.set('2026-12-08T08:30:00Z'); // Tuesday 09:30: open
    const deployed = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(releases(server)).toHaveLength(opened.length + 1);
    expect(gh.deploymentState(deploymentId)).toBe('success');
  });
});
