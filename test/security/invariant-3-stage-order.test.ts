// SPEC §4 invariant 3: stages are met in order (stage 2 approvals do not count until stage 1 is
// met, unless the config says `ordered: false`), and one person counts once. Base config:
// lead [alice] 1, then ops [acme/ops] 2.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  lastReply,
  openFlow,
  resetHome,
  reviewRun,
  sessions,
  stickyOf,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

describe('invariant 3: stage order, one person counts once', () => {
  it('ops approving before the lead does not complete the request; only lead reviews are requested', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, { approve: false });
    p.gh.review(p.number, 'olga', 'APPROVED');
    const oscar = p.gh.review(p.number, 'oscar', 'APPROVED');
    const early = await reviewRun(p.gh, p.number, oscar);
    expect(early.outputs.phase).toBe('awaiting-approval');
    expect(p.gh.dispatches()).toEqual([]);
    const sticky = stickyOf(p.gh, p.number);
    expect(sticky).toMatch(/\| 1\. lead \| 0 of 1 \|/);
    // Listed, but not counted: the stage waits for lead.
    expect(sticky).toMatch(/\| 2\. ops \| 2 of 2 \| ⏸️ waiting for lead \| .*counts after lead \|/);
    expect(
      p.gh.combinedStatus(p.headSha).statuses.find((s) => s.context === 'deploy-request/approval'),
    ).toMatchObject({ state: 'pending', description: 'Waiting for lead: 0 of 1 approval' });
    expect(p.gh.requestedReviewers(p.number)).toEqual({ users: ['alice'], teams: [] });

    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(/approvals are not complete/);
    expect(sessions(servers[0]!)).toBe(0);

    // Once the lead approves, the ops approvals on this head count and the gate hands over.
    const alice = p.gh.review(p.number, 'alice', 'APPROVED');
    expect((await reviewRun(p.gh, p.number, alice)).outputs.phase).toBe('approved');
    expect(p.gh.dispatches()).toHaveLength(1);
  });

  it('with `ordered: false` the same approvals count in any order', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      approve: false,
      approval: { ordered: false },
    });
    p.gh.review(p.number, 'olga', 'APPROVED');
    const oscar = p.gh.review(p.number, 'oscar', 'APPROVED');
    const result = await reviewRun(p.gh, p.number, oscar);
    expect(result.outputs.phase).toBe('awaiting-approval');
    expect(stickyOf(p.gh, p.number)).toMatch(/\| 2\. ops \| 2 of 2 \|/);
  });

  it('one person counts once: a lead who is also in ops, or approves twice, fills one slot', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      approve: false,
      teams: { 'team-leads': ['tina'], ops: ['alice', 'olga', 'oscar'] },
    });
    p.gh.review(p.number, 'alice', 'APPROVED');
    p.gh.review(p.number, 'olga', 'APPROVED');
    const twice = p.gh.review(p.number, 'olga', 'APPROVED');
    const result = await reviewRun(p.gh, p.number, twice);
    expect(result.outputs.phase).toBe('awaiting-approval');
    const sticky = stickyOf(p.gh, p.number);
    expect(sticky).toMatch(/\| 1\. lead \| 1 of 1 \|/);
    expect(sticky).toMatch(/\| 2\. ops \| 1 of 2 \|/);
    expect(sticky).toMatch(/`alice` counts for lead; a person counts once, so not for ops too/);
    expect(p.gh.dispatches()).toEqual([]);

    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(sessions(servers[0]!)).toBe(0);

    const oscar = p.gh.review(p.number, 'oscar', 'APPROVED');
    expect((await reviewRun(p.gh, p.number, oscar)).outputs.phase).toBe('approved');
  });
});
