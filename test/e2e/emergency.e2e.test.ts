// Break-glass through dist/index.js, the stand-in and real sshd: /emergency switches a request to
// the environment's emergency policy (signed), the on-call approves instead of the usual stages
// (their review run hands over; the trusted run verifies the switch),
// the prompt shouts BREAK-GLASS and binds the switch into its digest, /confirm deploys outside
// the deployment windows, and afterwards a review issue is opened, the PR labelled and the ledger
// marked. An unreviewed emergency deployment past `within_hours` refuses the next /emergency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  lastReply,
  lockRefs,
  openFlow,
  releases,
  resetHome,
  sessions,
  useSshServers,
  flowConfig,
  gate,
  reviewRun,
} from '../security/support.js';
import { repoWithConfig, stickyOf } from './scenario.js';
import { withPolicy } from '../support/fixtures.js';
import { asRead as plain } from '../support/as-read.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const POLICY = {
  windows: {
    timezone: 'Europe/Berlin',
    allow: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '16:00' }],
    freezes: [],
  },
  emergency: {
    approvers: ['otto'],
    required: 1,
    may_skip: ['windows', 'stages'],
    review: { reviewers: ['acme/team-leads'], within_hours: 24 },
  },
};

describe('break-glass (e2e)', { timeout: 180_000 }, () => {
  it('/emergency, the on-call approves, the prompt shouts, /confirm deploys at night; review issue, label, ledger; overdue refuses the next', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const gh0 = await repoWithConfig(withPolicy(flowConfig(servers), POLICY));
    const flow = await openFlow(servers, clientKey.privateKey, { gh: gh0, approve: false });
    const { gh, number } = flow;
    gh.clock.set('2026-12-09T02:00:00Z'); // Wednesday 03:00 in Berlin: outside the windows

    const eve = await flow.say('eve', '/emergency because');
    expect(eve.outputs.phase).toBe('refused');
    expect(plain(lastReply(gh, number))).toContain('only the requester (@dev) may switch');

    const switched = await flow.say('dev', '/emergency payments are down');
    expect(switched.outputs.phase).toBe('awaiting-approval');
    const reply = plain(lastReply(gh, number));
    expect(reply).toContain('🚨 BREAK-GLASS');
    expect(reply).toContain('payments are down');
    expect(reply).toContain('review requested from @otto');
    expect(gh.pull(number)!.requestedUsers).toContain('otto');

    // The on-call's review run (no key) hands over on the claimed switch; the trusted run verifies it.
    const reviewId = gh.review(number, 'otto', 'APPROVED');
    const before = sessions(server);
    const review = await reviewRun(gh, number, reviewId);
    expect(review.outputs.phase).toBe('awaiting-approval');
    expect(gh.dispatches()).toHaveLength(1);
    expect(plain(stickyOf(gh, number))).toContain(
      'the emergency approvers have approved; handed over',
    );
    const prompt = await flow.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const text = plain(gh.comments(number).find((c) => c.body.includes('Confirm this'))!.body);
    expect(text).toContain('BREAK-GLASS: emergency deployment');
    expect(text).toContain('| Policy | **BREAK-GLASS**: payments are down |');
    const digest = prompt.outputs.digest!;

    const opened = releases(server);
    const deployed = await flow.say('dev', `/confirm ${digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(sessions(server)).toBeGreaterThan(before);
    expect(lockRefs(gh)).toEqual([]);
    const [release] = releases(server).filter((r) => !opened.includes(r));
    const ledger = JSON.parse(
      readFileSync(join(server.home, 'app/releases', release!, '.deploy-request.json'), 'utf8'),
    ) as { emergency?: unknown };
    expect(ledger.emergency).toEqual({ reason: 'payments are down', by: 'dev' });
    const [issue] = gh.issues();
    expect(issue!.title).toContain('Break-glass review: staging');
    expect(issue!.labels).toEqual(['break-glass-review']);
    expect(gh.labels(number)).toContain('break-glass');
    expect((await flow.say('dev', '/status')).outputs.phase).toBe('ignored');
    expect(plain(lastReply(gh, number))).toContain(' 🚨 break-glass: payments are down');

    // A second request, 25 hours later, with the review still open: refused, nothing recorded.
    gh.clock.advance(25 * 3_600_000);
    const second = await openFlow(servers, clientKey.privateKey, {
      gh,
      approve: false,
      requestPath: 'deploy-requests/second.yml',
    });
    const late = await second.say('dev', '/emergency again');
    expect(late.outputs.phase).toBe('refused');
    expect(plain(lastReply(gh, second.number))).toContain(
      `has not been reviewed within 24 hours: review it and close issue #${issue!.number}`,
    );
    gh.closeIssue(issue!.number, 'tina');
    const again = await second.say('dev', '/emergency again');
    expect(again.outputs.phase).toBe('awaiting-approval');
  });

  it('a bad break-glass policy makes the request invalid, each problem at its line in the config', async () => {
    const { servers, clientKey } = fleet();
    const bad = {
      emergency: { approvers: ['otto'], required: 2, review: { reviewers: ['acme/team-leads'] } },
    };
    const config = withPolicy(flowConfig(servers), bad);
    const lines = config.split('\n');
    const at = lines.findIndex((l) => l.trim() === 'emergency:');
    const line = lines.findIndex((l, i) => i > at && l.includes('required: 2')) + 1;
    expect(at).toBeGreaterThan(0);
    const gh = await repoWithConfig(config);
    const flow = await openFlow(servers, clientKey.privateKey, { gh, approve: false });
    const result = await gate(gh, flow.number);
    expect(result.outputs.phase).toBe('invalid');
    expect(result.stdout).toContain(`file=.github/deploy-request.yml,line=${line}`);
    expect(plain(result.stdout)).toContain(
      '2 emergency approvals required but only 1 approver listed (otto); list more approvers, add a team (org/team) or lower `required`',
    );
    const switched = await flow.say('dev', '/emergency now');
    expect(switched.outputs.phase).toBe('refused');
  });
});
