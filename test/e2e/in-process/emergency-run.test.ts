// main.ts run() in-process with break-glass: /emergency, the on-call's review run hands over on
// the claimed switch, the trusted run verifies it and prompts with the banner, /confirm deploys
// outside the windows, then the review issue, the label and the ledger mark. Also: the follow-up
// refused by GitHub (no `issues: write`) is logged loudly and the deployment still reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorkspace, checkout, DEPLOY_DEFAULTS, deployRequest } from '../deploy-scenario.js';
import { configFor, useSshServers } from '../servers-scenario.js';
import {
  issueCommentEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../../support/events.js';
import { withPolicy } from '../../support/fixtures.js';
import { runInProcess } from '../../unit/support/in-process.js';
import { REQUEST_PATH, repoWith, stickyOf } from './support.js';
import { asRead as plain } from '../../support/as-read.js';

const fleet = useSshServers(1);

const POLICY = {
  windows: { timezone: 'UTC', allow: [{ days: ['mon'], from: '09:00', to: '10:00' }] },
  emergency: {
    approvers: ['otto'],
    may_skip: ['windows', 'stages'],
    review: { reviewers: ['acme/team-leads', 'tina'], within_hours: 12 },
  },
};

async function switchedAndPrompted() {
  const { servers, clientKey } = fleet();
  const { workspace, sha256 } = buildWorkspace();
  const gh = await repoWith(withPolicy(configFor(servers, { deploy: DEPLOY_DEFAULTS }), POLICY));
  gh.clock.set('2026-12-09T02:00:00Z'); // a Wednesday night: outside the window
  const { number, headSha } = gh.openPull({
    author: 'dev',
    headFiles: { [REQUEST_PATH]: deployRequest(sha256) },
  });
  checkout(workspace, headSha);
  const inputs = { 'ssh-private-key': clientKey.privateKey };
  const say = (user: string, body: string) =>
    runInProcess({
      gh,
      eventName: 'issue_comment',
      payload: issueCommentEvent(gh, 'created', gh.comment(number, user, body)),
      inputs,
      workspace,
    });
  expect((await say('dev', '/emergency db failover')).outputs.phase).toBe('awaiting-approval');
  const reviewId = gh.review(number, 'otto', 'APPROVED');
  const review = await runInProcess({
    gh,
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, reviewId),
    workspace,
  });
  expect(review.outputs.phase).toBe('awaiting-approval');
  expect(plain(stickyOf(gh, number))).toContain('the emergency approvers have approved');
  const prompt = await runInProcess({
    gh,
    eventName: 'workflow_dispatch',
    payload: workflowDispatchEvent(gh, gh.dispatches().at(-1)!),
    inputs,
    workspace,
  });
  expect(prompt.outputs.phase).toBe('awaiting-confirmation');
  return { gh, number, say, digest: prompt.outputs.digest!, server: servers[0]! };
}

describe('run(): break-glass', () => {
  it('switch, hand-over on the on-call review, banner prompt, deploy at night, review issue, label, ledger', async () => {
    const { gh, number, say, digest, server } = await switchedAndPrompted();
    const confirmation = plain(
      gh.comments(number).find((c) => c.body.includes('Confirm this'))!.body,
    );
    expect(confirmation).toMatch(/^### 🚨 BREAK-GLASS: emergency deployment/);
    expect(confirmation).toContain(
      'It skips deployment windows and freezes and the usual approval stages.',
    );
    expect(confirmation).toContain('| Policy | **BREAK-GLASS**: db failover |');
    expect(plain(stickyOf(gh, number))).toContain(
      '**🚨 BREAK-GLASS**: switched to the emergency policy by @dev',
    );

    const deployed = await say('dev', `/confirm ${digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    const [issue] = gh.issues();
    expect(issue!.title).toBe('Break-glass review: staging (#1, web 1.4.2)');
    expect(plain(issue!.body ?? '')).toContain('needs a review: @acme/team-leads, @tina.');
    // 12 hours after the deployment, by GitHub's clock (which runs on from 02:00 during the run).
    expect(plain(issue!.body ?? '')).toMatch(/\| Review due \| 2026-12-09T14:00:0\d\.\d{3}Z \|/);
    expect(gh.labels(number)).toEqual(['break-glass']);
    const current = readFileSync(join(server.home, 'app/current/.deploy-request.json'), 'utf8');
    expect(JSON.parse(current)).toMatchObject({ emergency: { reason: 'db failover', by: 'dev' } });
  });

  it('GitHub refusing the follow-up (no issues: write) is a loud warning; the deployment still reports', async () => {
    const { gh, number, say, digest } = await switchedAndPrompted();
    gh.inject({
      method: 'POST',
      path: '/issues',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const deployed = await say('dev', `/confirm ${digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(deployed.stdout).toContain('BREAK-GLASS: the follow-up review could not be recorded');
    expect(gh.issues()).toEqual([]);
    expect(gh.labels(number)).toEqual([]);
  });
});
