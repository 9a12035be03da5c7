// /emergency handled on the in-memory fake of GitHub: who may, every refusal with its reply and
// nothing recorded, the switch with the on-call asked for review (never the requester), the
// overdue-review rule read from signed issues only, and the switch's effect on verification.
import { describe, expect, it } from 'vitest';
import { handleComment } from '../../../src/action/handle-comment.js';
import type { CommentEvent } from '../../../src/edge/event.js';
import { readEmergency } from '../../../src/state/emergency-record.js';
import { REVIEW_LABEL, reviewRecordLine } from '../../../src/state/emergency-review.js';
import { emergencyOf, verifyRequest } from '../../../src/steps/verify-request.js';
import { testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest } from '../../e2e/in-process/support.js';
import { fakeContextFor, fakeRepoWith } from '../support/fake-run-context.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const policy = (skip: string) =>
  '    emergency:\n' +
  "      approvers: [otto, dev, 'acme/ops']\n" +
  '      required: 1\n' +
  `      may_skip: [${skip}]\n` +
  "      review: { reviewers: ['acme/team-leads'], within_hours: 24 }\n";
const withPolicy = (skip = 'stages') =>
  CONFIG.replace('\n  production:\n', `\n${policy(skip)}  production:\n`);

function setUp(config = withPolicy(), o: { request?: boolean } = {}) {
  const fake = fakeRepoWith(config);
  const { gh } = fake;
  const { number } =
    o.request === false
      ? gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } })
      : openRequest(gh);
  const trust = trustOf(gh, testDeployKey());
  const say = async (user: string, body: string, now = NOW) => {
    const id = gh.comment(number, user, body);
    const event: CommentEvent = {
      kind: 'issue_comment',
      action: 'created',
      pullNumber: number,
      comment: { id, user, userIsBot: false, body, association: 'MEMBER' },
    };
    const ctx = fakeContextFor(fake, { now });
    const outcome = await handleComment(ctx, event);
    return { outcome, reply: gh.comments(number).at(-1)!.body, ctx };
  };
  return { fake, gh, number, trust, say };
}

const unescape = (s: string) => s.replace(/\\([`*_()[\]#-])/g, '$1');

describe('/emergency', () => {
  it('the requester switches: signed record, the on-call asked (not the requester), a loud reply', async () => {
    const { fake, gh, number, trust, say } = setUp();
    const { outcome, reply } = await say('dev', '/emergency payments are down');
    expect(outcome).toMatchObject({ phase: 'awaiting-approval', environment: 'staging' });
    expect(await readEmergency(fake.port, trust, number)).toEqual({
      pr: number,
      environment: 'staging',
      reason: 'payments are down',
      by: 'dev',
      at: NOW.toISOString(),
    });
    const text = unescape(reply);
    expect(text).toContain('### 🚨 BREAK-GLASS: emergency deployment');
    expect(text).toContain('It skips the usual approval stages.');
    expect(text).toContain('(due within 24 hours)');
    expect(text).toContain('review requested from @otto, @acme/ops');
    expect(text).not.toContain('after the usual stages');
    expect(gh.pull(number)!.requestedUsers).toEqual(['otto']);
    expect(gh.pull(number)!.requestedTeams).toEqual(['ops']);
  });

  it('without skipping stages the on-call stage comes after the usual ones', async () => {
    const { say } = setUp(withPolicy('windows'));
    const { reply } = await say('dev', '/emergency fix');
    expect(unescape(reply)).toContain('It skips deployment windows and freezes.');
    expect(unescape(reply)).toContain('after the usual stages');
  });

  it('nothing skipped says so', async () => {
    const { say } = setUp(withPolicy(''));
    expect(unescape((await say('dev', '/emergency fix')).reply)).toContain('It skips no gate.');
  });

  it.each([
    ['someone else', 'eve', withPolicy(), 'only the requester (@dev) may switch this request'],
    [
      'no policy',
      'dev',
      CONFIG,
      'environment `staging` has no break-glass policy. Add `environments.staging.emergency`',
    ],
  ])('refused: %s; nothing recorded', async (_n, user, config, why) => {
    const { fake, number, trust, say } = setUp(config);
    const { outcome, reply } = await say(user, '/emergency now');
    expect(outcome.phase).toBe('refused');
    expect(unescape(reply)).toContain(why);
    expect(await readEmergency(fake.port, trust, number)).toBeNull();
    expect(fake.count('createRef')).toBe(0);
  });

  it('refused: a pull request without a request', async () => {
    const { say } = setUp(withPolicy(), { request: false });
    const { outcome } = await say('dev', '/emergency now');
    expect(outcome).toMatchObject({ phase: 'refused' });
    expect(outcome.message).toContain('adds no deploy request file');
  });

  it('refused: already switched, naming the first switch', async () => {
    const { say } = setUp();
    await say('dev', '/emergency first');
    const { outcome, reply } = await say('dev', '/emergency second');
    expect(outcome.phase).toBe('refused');
    expect(unescape(reply)).toContain('already on the emergency policy (switched by @dev');
    expect(unescape(reply)).toContain('first');
  });

  it('an unreviewed emergency deployment past within_hours refuses; closing its issue lifts that', async () => {
    const { fake, gh, trust, say } = setUp();
    const line = (environment: string, at: string) =>
      reviewRecordLine(trust.signer, { environment, pr: 1, at });
    const old = await fake.port.createIssue({
      title: 'review',
      body: `x\n${line('staging', '2026-03-01T11:00:00.000Z')}`,
      labels: [REVIEW_LABEL],
    });
    // Another environment's, and a recent one, do not count.
    await fake.port.createIssue({
      title: 'review',
      body: line('production', '2026-01-01T00:00:00.000Z'),
      labels: [REVIEW_LABEL],
    });
    await fake.port.createIssue({
      title: 'review',
      body: line('staging', '2026-03-02T11:00:00.000Z'),
      labels: [REVIEW_LABEL],
    });
    const { outcome, reply } = await say('dev', '/emergency again');
    expect(outcome.phase).toBe('refused');
    expect(unescape(reply)).toContain(
      `has not been reviewed within 24 hours: review it and close issue #${old.number}, then try again.`,
    );
    // Closed by the requester, who is no reviewer: still unreviewed, and the reply says who may.
    gh.closeIssue(old.number, 'dev');
    const self = await say('dev', '/emergency again');
    expect(self.outcome.phase).toBe('refused');
    expect(unescape(self.reply)).toContain(
      `issue #${old.number} was closed by @dev, who is not among \`review.reviewers\` (@acme/team-leads). One of them reviews it: reopen the issue and let them close it`,
    );
    gh.reopenIssue(old.number);
    gh.closeIssue(old.number, 'tina'); // a member of acme/team-leads
    expect((await say('dev', '/emergency again')).outcome.phase).toBe('awaiting-approval');
  });

  it('verification: the on-call alone approves under may_skip stages; a switch for another environment does not carry over', async () => {
    const { fake, gh, number, trust, say } = setUp();
    await say('dev', '/emergency now');
    gh.review(number, 'otto', 'APPROVED');
    const ctx = fakeContextFor(fake, { now: NOW });
    const v = await verifyRequest(ctx, number);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.verified.approval.approvers).toEqual(['otto']);
    expect(v.verified.emergency?.reason).toBe('now');
    expect(await emergencyOf(ctx, v.verified.pull, 'production', v.verified.environment)).toBe(
      undefined,
    );
    expect(await readEmergency(fake.port, trust, number)).not.toBeNull();
  });
});
