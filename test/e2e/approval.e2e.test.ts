// SPEC §3 pull_request_review and §4 invariants 2 and 3: approvals through the bundled action,
// against the GitHub stand-in. Stages of the fixture config (staging): `lead` (alice or team
// acme/team-leads = [tina], 1 required), then `ops` (team acme/ops = [olga, oscar, otto], 2 required).
import { describe, expect, it } from 'vitest';
import { pullRequestReviewEvent } from '../support/events.js';
import {
  APPROVAL,
  configWithStagingStages,
  openRequest,
  pullRun,
  reviewRun,
  statusOf,
} from './approval-steps.js';
import { repoWithConfig, run, stickyOf } from './scenario.js';

describe('approval stages (e2e through dist/index.js)', () => {
  it('stages are ordered: ops approvals do not count before lead is met, then they do', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);

    const early = await reviewRun(gh, number, [
      ['olga', 'APPROVED'],
      ['oscar', 'APPROVED'],
    ]);
    expect(early.code).toBe(0);
    expect(early.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, APPROVAL)).toEqual({
      state: 'pending',
      description: 'Waiting for lead: 0 of 1 approval',
    });
    let sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 1. lead | 0 of 1 | ⏳ waiting for approvals |');
    expect(sticky).toContain(
      '| 2. ops | 2 of 2 | ⏸️ waiting for lead | @olga, @oscar | none; counts after lead |',
    );
    expect(gh.dispatches()).toEqual([]);

    const led = await reviewRun(gh, number, [['tina', 'APPROVED']]);
    expect(led.outputs.phase).toBe('approved');
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('success');
    sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 1. lead | 1 of 1 | ✅ approved | @tina |');
    expect(sticky).toContain('| 2. ops | 2 of 2 | ✅ approved | @olga, @oscar |');
  });

  it('N of M: one of two ops approvals waits, the second approves', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);

    const one = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
    ]);
    expect(one.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, APPROVAL)).toEqual({
      state: 'pending',
      description: 'Waiting for ops: 1 of 2 approvals',
    });
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain(
      '| 2. ops | 1 of 2 | ⏳ waiting for approvals | @olga | 1 more from: @oscar, @otto |',
    );
    expect(sticky).toContain('stage ops needs 1 more approval on this commit');

    const two = await reviewRun(gh, number, [['oscar', 'APPROVED']]);
    expect(two.outputs.phase).toBe('approved');
    expect(statusOf(gh, headSha, APPROVAL)).toEqual({
      state: 'success',
      description: '2 of 2 stages approved',
    });
  });

  it('approvals from the author, from a non-reviewer and from a bot are ignored (invariant 2)', async () => {
    // alice is a lead reviewer and the author; ci-helper[bot] is in team-leads.
    const gh = await repoWithConfig(undefined, {
      teams: { 'team-leads': ['tina', 'ci-helper[bot]'], ops: ['olga', 'oscar', 'otto'] },
    });
    const { number, headSha } = openRequest(gh, { author: 'alice' });

    const result = await reviewRun(gh, number, [
      ['alice', 'APPROVED', { unchecked: true }],
      ['mallory', 'APPROVED'],
      ['ci-helper[bot]', 'APPROVED'],
    ]);
    expect(result.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, APPROVAL)).toEqual({
      state: 'pending',
      description: 'Waiting for lead: 0 of 1 approval',
    });
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain(
      '| 1. lead | 0 of 1 | ⏳ waiting for approvals | — | 1 more from: @tina |',
    );
    expect(sticky).toMatch(/`alice`.*the author/);
    expect(sticky).toMatch(/`mallory`.*not a reviewer/);
    expect(sticky).toMatch(/`ci-helper\[bot\]`.*bot/);
    // Nobody is pinged for an approval that does not count, nor ops before its stage.
    expect(sticky).toContain(
      '| 2. ops | 0 of 2 | ⏸️ waiting for lead | — | 2 more from: olga, oscar, otto (after lead) |',
    );
    expect(sticky).not.toMatch(/@(alice|mallory|ci-helper|olga|oscar|otto)/);
    // Never the author, never a bot: only the team is asked.
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: ['team-leads'] });
    expect(gh.dispatches()).toEqual([]);
  });

  it('a push makes earlier approvals stale: shown as stale, status pending, the stage asks again (invariant 2)', async () => {
    const gh = await repoWithConfig();
    const { number, headSha: first } = openRequest(gh);
    const approved = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
      ['oscar', 'APPROVED'],
    ]);
    expect(approved.outputs.phase).toBe('approved');
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });

    const second = gh.push(number, { 'README.md': '# app, changed after the approvals\n' });
    const pushed = await pullRun(gh, 'synchronize', number);
    expect(pushed.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, second, APPROVAL)).toEqual({
      state: 'pending',
      description: 'Waiting for lead: 0 of 1 approval',
    });
    expect(statusOf(gh, first, APPROVAL)?.state).toBe('success'); // the old commit keeps its own
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 1. lead | 0 of 1 | ⏳ waiting for approvals |');
    const short = first.slice(0, 7);
    for (const user of ['tina', 'olga', 'oscar']) {
      expect(sticky).toContain(`@${user} approved an older commit \`${short}\``);
    }
    expect(sticky).toContain(`Head commit \`${second.slice(0, 12)}\``);
    // lead is asked again (its stale approver by name); ops waits for lead.
    expect(gh.requestedReviewers(number)).toEqual({
      users: ['alice', 'tina'],
      teams: ['team-leads'],
    });
  });

  it('changes requested by a reviewer veto the request until that reviewer approves', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = openRequest(gh);

    const vetoed = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
      ['otto', 'APPROVED'],
      ['oscar', 'CHANGES_REQUESTED'],
    ]);
    expect(vetoed.outputs.phase).toBe('awaiting-approval');
    expect(statusOf(gh, headSha, APPROVAL)).toEqual({
      state: 'pending',
      description: 'Changes requested by @oscar',
    });
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 2. ops | 2 of 2 | ⛔ changes requested | @olga, @otto |');
    expect(sticky).toContain('@oscar requested changes');
    expect(gh.dispatches()).toEqual([]);
    expect(gh.requestedReviewers(number).users).toContain('oscar');

    const lifted = await reviewRun(gh, number, [['oscar', 'APPROVED']]);
    expect(lifted.outputs.phase).toBe('approved');
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('success');
    expect(gh.dispatches()).toHaveLength(1);
  });

  it('a dismissed "changes requested" review no longer vetoes', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh);
    const vetoed = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
      ['otto', 'APPROVED'],
      ['oscar', 'CHANGES_REQUESTED'],
    ]);
    expect(vetoed.outputs.phase).toBe('awaiting-approval');
    const veto = gh.reviews(number).find((r) => r.user === 'oscar')!;
    gh.dismissReview(number, veto.id);
    const dismissed = await run(gh, {
      eventName: 'pull_request_review',
      payload: pullRequestReviewEvent(gh, 'dismissed', number, veto.id, { sender: 'tina' }),
    });
    expect(dismissed.outputs.phase).toBe('approved');
  });

  it('a person in two stages counts once (invariant 3)', async () => {
    const config = configWithStagingStages(
      [
        '        - name: lead',
        "          reviewers: [alice, 'acme/team-leads']",
        '          required: 1',
        '        - name: ops',
        "          reviewers: ['acme/ops', tina]",
        '          required: 2',
        '',
      ].join('\n'),
    );
    const gh = await repoWithConfig(config);
    const { number } = openRequest(gh);

    const once = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
    ]);
    expect(once.outputs.phase).toBe('awaiting-approval');
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 1. lead | 1 of 1 | ✅ approved | @tina |');
    expect(sticky).toContain('| 2. ops | 1 of 2 | ⏳ waiting for approvals | @olga |');
    expect(sticky).toMatch(/`tina`.*counts for lead/);

    const twice = await reviewRun(gh, number, [['otto', 'APPROVED']]);
    expect(twice.outputs.phase).toBe('approved');
  });
});
