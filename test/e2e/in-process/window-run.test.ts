// main.ts run() in-process with deployment windows: the prompt opened at a closed time (the
// stand-in's clock, which is GitHub's for the action) shows the window state in the confirmation
// comment and in the sticky comment (real sshd for the checks).
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildWorkspace, checkout, DEPLOY_DEFAULTS, deployRequest } from '../deploy-scenario.js';
import { approveAll, configFor, useSshServers } from '../servers-scenario.js';
import { workflowDispatchEvent } from '../../support/events.js';
import { runInProcess } from '../../unit/support/in-process.js';
import { REQUEST_PATH, repoWith, stickyOf } from './support.js';
import { asRead as plain } from '../../support/as-read.js';

const fleet = useSshServers(1);

const WINDOWS = {
  timezone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00' }],
  freezes: [{ from: '2026-12-20', to: '2027-01-04', reason: 'holiday freeze' }],
};

describe('run(): deployment windows', () => {
  it('a prompt opened on Friday evening shows "closed — next opens Monday", in the prompt and the sticky comment', async () => {
    const { servers, clientKey } = fleet();
    const { workspace, sha256 } = buildWorkspace();
    const config = load(configFor(servers, { deploy: DEPLOY_DEFAULTS })) as {
      environments: { staging: Record<string, unknown> };
    };
    config.environments.staging.windows = WINDOWS;
    const gh = await repoWith(dump(config, { lineWidth: 200 }));
    gh.clock.set('2026-12-04T16:00:00Z'); // Friday 17:00 in Berlin
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: deployRequest(sha256) },
    });
    approveAll(gh, number);
    checkout(workspace, headSha);
    const prompt = await runInProcess({
      gh,
      eventName: 'workflow_dispatch',
      payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
      inputs: { 'ssh-private-key': clientKey.privateKey },
      workspace,
    });
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const line = '`staging`: closed — next opens Mon 7 Dec 09:00 CET (Europe/Berlin)';
    const confirmation = gh.comments(number).find((c) => c.body.includes('Confirm this'));
    expect(plain(confirmation!.body)).toContain(`| Window | ${line} |`);
    expect(plain(confirmation!.body)).toContain(
      // The prompt expires after 24 hours, before Monday: it says so.
      'Until it opens, `/confirm` is refused; this prompt stays open, but expires first: comment `/recheck` for a new one.',
    );
    expect(plain(stickyOf(gh, number))).toContain(`**🕘 Window:** ${line}`);
  });
});
