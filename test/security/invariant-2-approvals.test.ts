// SPEC §4 invariant 2: an approval counts only from a configured reviewer (a user named in the
// stage, or a member of its team), never from the PR author or a bot, and only on the current
// head SHA; a reviewer removed from the team no longer counts. When approvals do not hold, the
// trusted runs refuse and touch no server. Base config: lead [alice] 1, then ops [acme/ops] 2.
import { beforeEach, describe, expect, it } from 'vitest';
import { workflowDispatchEvent } from '../support/events.js';
import {
  gate,
  lastReply,
  openFlow,
  resetHome,
  reviewRun,
  run,
  sessions,
  stickyOf,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const NOT_COMPLETE = /approvals are not complete for the head commit/;

describe('invariant 2: who may approve, and on which commit', () => {
  it('the author, a bot (even in the team) and an outsider never count; the trusted run refuses', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      approve: false,
      teams: { 'team-leads': ['tina'], ops: ['olga', 'oscar', 'dev', 'deploy-bot[bot]'] },
    });
    p.gh.review(p.number, 'alice', 'APPROVED');
    p.gh.review(p.number, 'dev', 'APPROVED', { unchecked: true }); // the author, in team ops
    p.gh.review(p.number, 'deploy-bot[bot]', 'APPROVED'); // a bot, in team ops
    p.gh.review(p.number, 'mallory', 'APPROVED'); // in no stage
    const last = p.gh.review(p.number, 'olga', 'APPROVED');

    const result = await reviewRun(p.gh, p.number, last);
    expect(result.outputs.phase).toBe('awaiting-approval');
    expect(p.gh.dispatches()).toEqual([]);
    const sticky = stickyOf(p.gh, p.number);
    expect(sticky).toMatch(/\| 2\. ops \| 1 of 2 \|/);
    expect(sticky).toMatch(/`dev` approved, but the author of the request cannot approve it/);
    expect(sticky).toMatch(/`deploy-bot\[bot\]` approved, but approvals from bots never count/);
    expect(sticky).toMatch(/`mallory` approved, but is not a reviewer of any stage/);

    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(NOT_COMPLETE);
    expect(sessions(servers[0]!)).toBe(0);

    // The control: one more real team member completes the stage and the gate hands over.
    const oscar = p.gh.review(p.number, 'oscar', 'APPROVED');
    expect((await reviewRun(p.gh, p.number, oscar)).outputs.phase).toBe('approved');
    expect(p.gh.dispatches()).toHaveLength(1);
  });

  it('a new push makes every approval stale: shown as stale, asked again, and the old hand-over is refused', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const approved = await gate(p.gh, p.number);
    expect(approved.outputs.phase).toBe('approved');
    const [handOver] = p.gh.dispatches();
    expect(handOver).toBeDefined();
    const oldHead = p.headSha;

    p.push({ 'README.md': 'pushed after the approvals\n' });
    const sync = await gate(p.gh, p.number, 'synchronize');
    expect(sync.outputs.phase).toBe('awaiting-approval');
    const sticky = stickyOf(p.gh, p.number);
    expect(sticky).toMatch(
      new RegExp(`alice.* approved an older commit \`${oldHead.slice(0, 7)}\`: stale`),
    );
    expect(sticky).toMatch(/\| 1\. lead \| 0 of 1 \|/);
    expect(p.gh.requestedReviewers(p.number).users).toContain('alice');
    expect(
      p.gh.combinedStatus(p.headSha).statuses.find((s) => s.context === 'deploy-request/approval')
        ?.state,
    ).toBe('pending');
    expect(p.gh.dispatches()).toHaveLength(1); // no new hand-over

    // The hand-over dispatched before the push runs now (or is re-run): refused, nothing touched.
    const late = await run(p.gh, {
      eventName: 'workflow_dispatch',
      payload: workflowDispatchEvent(p.gh, handOver!),
      inputs: { 'ssh-private-key': p.key },
      cwd: p.workspace,
    });
    expect(late.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(NOT_COMPLETE);
    expect(sessions(servers[0]!)).toBe(0);
    expect(p.gh.deployments()).toEqual([]);
  });

  it('a reviewer removed from the team no longer counts: /confirm and the hand-over are refused', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const afterPrompt = sessions(servers[0]!);

    p.gh.addTeam('ops', ['olga', 'otto']); // oscar left the team
    const confirm = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(confirm.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(NOT_COMPLETE);
    const again = await p.dispatch();
    expect(again.outputs.phase).toBe('refused');
    expect(sessions(servers[0]!)).toBe(afterPrompt);
    expect(p.gh.deploymentState(Number(prompt.outputs['deployment-id']))).toBe('queued');
  });
});
