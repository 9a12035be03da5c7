// SPEC §3 and §8: who the gate asks for reviews (bare team slugs, never the author, not while
// draft), and the sticky comment people read: a Markdown table, real mentions only for people.
import { describe, expect, it } from 'vitest';
import { pullRequestEvent } from '../support/events.js';
import { APPROVAL, openRequest, pullRun, reviewRun, statusOf } from './approval-steps.js';
import { REQUEST_PATH, REQUEST_TEXT, repoWithConfig, run, stickyOf } from './scenario.js';

describe('review requests and the sticky comment (e2e through dist/index.js)', () => {
  it('team reviewers are requested by bare slug, never the author, nothing while draft; ready_for_review asks', async () => {
    const gh = await repoWithConfig();
    const { number } = openRequest(gh, { author: 'alice', draft: true });

    const draft = await pullRun(gh, 'opened', number);
    expect(draft.outputs.phase).toBe('awaiting-approval');
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });
    expect(gh.count({ path: /requested_reviewers/ })).toBe(0);
    expect(stickyOf(gh, number)).toContain('mark the pull request ready for review');

    gh.setDraft(number, false);
    gh.clearCalls();
    const ready = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'ready_for_review', number),
    });
    expect(ready.outputs.phase).toBe('awaiting-approval');
    const [request] = gh.calls({ method: 'POST', path: /requested_reviewers/ });
    expect(request?.body).toEqual({ reviewers: [], team_reviewers: ['team-leads'] });
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: ['team-leads'] });

    // Once lead is met, the next stage's team is asked, again by bare slug.
    await reviewRun(gh, number, [['tina', 'APPROVED']]);
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: ['ops'] });
  });

  it('a reviewer GitHub refuses (422, not a collaborator) is a warning and a note: the others are asked, the status and the comment still follow', async () => {
    const gh = await repoWithConfig(undefined, { collaborators: [] });
    const { number, headSha } = openRequest(gh);

    const result = await pullRun(gh, 'opened', number);
    expect(result.code).toBe(0);
    expect(result.outputs.phase).toBe('awaiting-approval');
    const warning = result.annotations.find(
      (a) => a.level === 'warning' && a.message.includes('refused to request a review'),
    );
    expect(warning?.message).toMatch(/from `alice`: .*\(GitHub: .*not a collaborator/);
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: ['team-leads'] });
    expect(statusOf(gh, headSha, APPROVAL)?.state).toBe('pending');
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('| 1. lead | 0 of 1 |');
    expect(sticky).toMatch(/⚠️ Note:\*\* GitHub refused to request a review from `alice`/);
  });

  it('the sticky comment is a table that mentions people, never names taken from the request', async () => {
    const gh = await repoWithConfig();
    const reason = 'Ship it @acme/ops, cc @mallory | <b>now</b> `x`';
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: {
        [REQUEST_PATH]: REQUEST_TEXT.replace(
          'reason: Roll out the new checkout flow',
          `reason: '${reason}'`,
        ),
      },
    });
    const result = await reviewRun(gh, number, [
      ['tina', 'APPROVED'],
      ['olga', 'APPROVED'],
    ]);
    expect(result.outputs.phase).toBe('awaiting-approval');
    const sticky = stickyOf(gh, number);
    console.info(`Sticky comment, lead approved and ops 1 of 2:\n${sticky}`);
    expect(sticky).toContain(
      [
        '| Stage | Approvals | Status | Approved by | Still needed |',
        '| --- | --- | --- | --- | --- |',
        '| 1. lead | 1 of 1 | ✅ approved | @tina | — |',
        '| 2. ops | 1 of 2 | ⏳ waiting for approvals | @olga | 1 more from: @oscar, @otto |',
      ].join('\n'),
    );
    // The reason is data: its @ cannot mention, its | cannot split the row, its HTML stays text.
    const row = sticky.split('\n').find((line) => line.startsWith('| Reason |'))!;
    expect(row).toBe(
      '| Reason | Ship it @\u200bacme/ops, cc @\u200bmallory \\| \\<b\\>now\\</b\\> \\`x\\` |',
    );
    const mentions = [...sticky.matchAll(/(?<![\w`])@([\w-]+)/g)].map((m) => m[1]);
    expect(new Set(mentions)).toEqual(new Set(['tina', 'olga', 'oscar', 'otto']));
    expect(result.summary).toContain('| 2. ops | 1 of 2 |');
  });
});
