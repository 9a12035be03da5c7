// The GitHub API requests each run makes, counted by the stand-in over the whole flow: validate,
// three reviews (the last hands over), the trusted dispatch run (real sshd), /confirm. Each count
// is exact, so a request added or cut shows here (README "Performance" has the budgets).
import { describe, expect, it } from 'vitest';
import { buildWorkspace, checkout, DEPLOY_DEFAULTS, deployRequest } from '../deploy-scenario.js';
import { configFor, useSshServers } from '../servers-scenario.js';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../../support/events.js';
import { runInProcess, type InProcessResult } from '../../unit/support/in-process.js';
import { REQUEST_PATH, repoWith } from './support.js';

const fleet = useSshServers(2);

describe('API requests per run', () => {
  it('validate, review, dispatch and confirm make the requests counted here, no more', async () => {
    const { servers, clientKey } = fleet();
    const { workspace, sha256 } = buildWorkspace();
    const gh = await repoWith(configFor(servers, { deploy: { ...DEPLOY_DEFAULTS } }));
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: deployRequest(sha256) },
    });
    checkout(workspace, headSha);
    const inputs = { 'ssh-private-key': clientKey.privateKey };
    const counted: Record<string, string[]> = {};
    const measure = async (name: string, phase: string, go: () => Promise<InProcessResult>) => {
      gh.clearCalls();
      const r = await go();
      expect(r.outputs.phase, name).toBe(phase);
      counted[name] = gh.calls({}).map((c) => `${c.method} ${c.path} ${c.status}`);
      return r;
    };
    await measure('validate', 'awaiting-approval', () =>
      runInProcess({
        gh,
        eventName: 'pull_request',
        payload: pullRequestEvent(gh, 'opened', number),
        workspace,
      }),
    );
    for (const [user, phase] of [
      ['alice', 'awaiting-approval'],
      ['olga', 'awaiting-approval'],
      ['oscar', 'approved'],
    ] as const) {
      const id = gh.review(number, user, 'APPROVED');
      await measure(`review ${user}`, phase, () =>
        runInProcess({
          gh,
          eventName: 'pull_request_review',
          payload: pullRequestReviewEvent(gh, 'submitted', number, id),
          workspace,
        }),
      );
    }
    const dispatched = gh.dispatches().at(-1)!;
    const r = await measure('dispatch', 'awaiting-confirmation', () =>
      runInProcess({
        gh,
        eventName: 'workflow_dispatch',
        payload: workflowDispatchEvent(gh, dispatched),
        inputs,
        workspace,
      }),
    );
    const id = gh.comment(number, 'dev', `/confirm ${r.outputs.digest!}`);
    await measure('confirm', 'deployed', () =>
      runInProcess({
        gh,
        eventName: 'issue_comment',
        payload: issueCommentEvent(gh, 'created', id),
        inputs,
        workspace,
      }),
    );
    const counts = Object.fromEntries(Object.entries(counted).map(([k, v]) => [k, v.length]));
    expect(counts, JSON.stringify(counted, null, 1)).toEqual({
      validate: 9,
      'review alice': 9,
      'review olga': 9,
      'review oscar': 9,
      // Each includes one read of the hold branch (/lock): a 404 when no hold stands.
      dispatch: 15,
      confirm: 20,
    });
    // The trusted config is read by the branch's full ref: no separate read of its tip.
    const tipReads = Object.values(counted)
      .flat()
      .filter((c) => c.includes('/git/ref/heads/main'));
    expect(tipReads).toEqual([]);
  });
});
