// SPEC §4 invariant 11 for break-glass: the switch is the branch deploy-request/emergency/<pr> and
// the commit it points at; the follow-up review is an issue labelled break-glass-review. Anyone
// with write access (or the PR's own workflow, which writes as the same bot) can make all three.
// Only facts carrying the trusted run's MAC count: a forged switch does not replace the approval
// stages, and a forged overdue review does not block the next /emergency. Through dist/index.js.
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import type { GitHubPort } from '../../src/github/port.js';
import { emergencyMessage, emergencyRefName } from '../../src/state/emergency-record.js';
import { REVIEW_LABEL, reviewRecordLine } from '../../src/state/emergency-review.js';
import { createStateSigner } from '../../src/state/state-signer.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { flowConfig, lastReply, openFlow, resetHome, reviewRun, useSshServers } from './support.js';
import { repoWithConfig } from '../e2e/scenario.js';
import { withPolicy } from '../support/fixtures.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const GUESSED = createStateSigner(Buffer.from('guess'), 'acme/app');
const POLICY = {
  emergency: {
    approvers: ['otto'],
    required: 1,
    may_skip: ['stages'],
    review: { reviewers: ['acme/team-leads'], within_hours: 24 },
  },
};

/** A writer's token (a collaborator, or a PR workflow granted `contents: write`). */
function attacker(gh: GitHubStandIn): GitHubPort {
  return createGitHubPort(createClient({ token: gh.tokens.write, baseUrl: gh.url }), {
    owner: gh.owner,
    repo: gh.repo,
  });
}

describe('invariant 11: break-glass switches and reviews are signed', { timeout: 120_000 }, () => {
  it('a forged switch does not replace the approval stages: the on-call alone approves nothing', async () => {
    const { servers, clientKey } = fleet();
    const gh0 = await repoWithConfig(withPolicy(flowConfig(servers), POLICY));
    const flow = await openFlow(servers, clientKey.privateKey, { gh: gh0, approve: false });
    const port = attacker(flow.gh);
    const tip = (await port.getRefSha('heads/main'))!;
    const message = emergencyMessage(GUESSED, {
      pr: flow.number,
      environment: 'staging',
      reason: 'trust me',
      by: 'dev',
      at: new Date().toISOString(),
    });
    const sha = await port.createCommit(message, (await port.getCommit(tip))!.treeSha);
    expect(await port.createRef(emergencyRefName(flow.number), sha)).toBe(true);
    const reviewId = flow.gh.review(flow.number, 'otto', 'APPROVED');
    // The review run (no key) hands over on the claimed switch; the trusted run verifies it.
    expect((await reviewRun(flow.gh, flow.number, reviewId)).outputs.phase).toBe(
      'awaiting-approval',
    );
    const handedOver = await flow.dispatch();
    expect(handedOver.outputs.phase).toBe('refused');
    expect(handedOver.stdout).toMatch(/Ignored the emergency branch of #\d+/);

    const recheck = await flow.say('dev', '/recheck');
    expect(recheck.outputs.phase).toBe('refused');
    expect(lastReply(flow.gh, flow.number)).toContain('The approvals are not complete');
    expect(recheck.stdout).toMatch(
      /Ignored the emergency branch of #\d+ \(commit [0-9a-f]{7}\): its signature does not verify/,
    );
    expect(flow.gh.deployments('staging')).toEqual([]);
  });

  it('a forged overdue review issue does not block /emergency', async () => {
    const { servers, clientKey } = fleet();
    const gh0 = await repoWithConfig(withPolicy(flowConfig(servers), POLICY));
    const flow = await openFlow(servers, clientKey.privateKey, { gh: gh0, approve: false });
    const record = { environment: 'staging', pr: 99, at: '2020-01-01T00:00:00.000Z' };
    await attacker(flow.gh).createIssue({
      title: 'Break-glass review: staging',
      body: `looks real\n${reviewRecordLine(GUESSED, record)}\n`,
      labels: [REVIEW_LABEL],
    });
    const switched = await flow.say('dev', '/emergency outage');
    expect(switched.outputs.phase).toBe('awaiting-approval');
    expect(switched.stdout).toMatch(/Ignored issue #\d+ labelled break-glass-review/);
  });
});
