// SPEC §4 invariant 1, as GitHub really has pull requests (issue 12 item 1): only the default
// branch's configuration is trusted, read at its tip when the run starts. A collaborator cannot
// bring their own configuration on another base branch (opened there, or retargeted there after
// approval), the PR's lagging base.sha never selects an older configuration, and an edit of the
// configuration after the prompt voids it. Each attack runs the built action against the
// stand-in and a real sshd server, and nothing of the attacker's reaches the server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent } from '../support/events.js';
import {
  CONFIG_PATH,
  flowConfig,
  lastReply,
  openFlow,
  promptedFlow,
  releases,
  repoWithConfig,
  resetHome,
  reviewRun,
  run,
  sessions,
  stickyOf,
  useSshServers,
  type GitHubStandIn,
  type TestServer,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const VALIDATE = 'deploy-request/validate';
const OWN_PROVISION = { commands: [{ name: 'own', run: 'touch "$HOME/pwned"' }] };

function validateStatus(gh: GitHubStandIn, sha: string) {
  const s = gh.combinedStatus(sha).statuses.find((x) => x.context === VALIDATE);
  return s && { state: s.state, description: s.description };
}

/** Branch `name` off main's tip with `config` as its `.github/deploy-request.yml`. */
function branchWithConfig(gh: GitHubStandIn, name: string, config: string): void {
  gh.setBranch(name, gh.commit({ [CONFIG_PATH]: config }, gh.branch('main')!));
}

function pwned(server: TestServer): boolean {
  return existsSync(join(server.home, 'pwned'));
}

describe('invariant 1: only the default branch is trusted', () => {
  it('a PR into a branch with its own config (accomplice as approver, own provisioning) is refused by the gate, the hand-over run and /confirm; nothing reaches the server', async () => {
    const [web1] = fleet().servers as [TestServer];
    const key = fleet().clientKey.privateKey;
    const gh = await repoWithConfig(flowConfig([web1]));
    branchWithConfig(
      gh,
      'evil',
      flowConfig([web1], {
        provision: OWN_PROVISION,
        approval: { stages: [{ name: 'lead', reviewers: ['accomplice'], required: 1 }] },
      }),
    );
    const p = await openFlow([web1], key, { gh, base: 'evil', author: 'mallory', approve: false });
    expect(gh.pull(p.number).baseRef).toBe('evil');

    const id = gh.review(p.number, 'accomplice', 'APPROVED');
    const gate = await reviewRun(gh, p.number, id);
    expect(gate.outputs.phase).toBe('refused');
    expect(gh.dispatches()).toEqual([]);
    expect(stickyOf(gh, p.number)).toContain(
      'Deploy requests must target `main`: this pull request targets `evil`.',
    );
    expect(validateStatus(gh, p.headSha)).toEqual({
      state: 'failure',
      description: 'Refused: requests must target main',
    });

    // The collaborator starts the trusted workflow by hand, then confirms.
    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(gh, p.number)).toMatch(/was refused: Deploy requests must target `main`/);
    const confirm = await p.say('mallory', '/confirm 0123456789abcdef');
    expect(confirm.outputs.phase).toBe('refused');
    expect(lastReply(gh, p.number)).toMatch(/must target `main`: this pull request targets `evil`/);

    expect(sessions(web1)).toBe(0);
    expect(pwned(web1)).toBe(false);
    expect(gh.deployments()).toEqual([]);
  });

  it('retargeting an approved PR to a branch with its own config is refused, and retargeting back re-evaluates', async () => {
    const [web1] = fleet().servers as [TestServer];
    const key = fleet().clientKey.privateKey;
    const gh = await repoWithConfig(flowConfig([web1]));
    // The same approvers as main, so the approvals already given would hold there.
    branchWithConfig(gh, 'evil', flowConfig([web1], { provision: OWN_PROVISION }));
    const p = await openFlow([web1], key, { gh });
    const approved = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', p.number),
    });
    expect(approved.outputs.phase).toBe('approved');
    expect(gh.dispatches()).toHaveLength(1);

    const before = gh.editPull(p.number, { base: 'evil' });
    const retargeted = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'edited', p.number, {
        changes: gh.editedChanges(p.number, before),
      }),
    });
    expect(retargeted.outputs.phase).toBe('refused');
    expect(stickyOf(gh, p.number)).toContain('this pull request targets `evil`');
    expect(validateStatus(gh, p.headSha)?.description).toBe('Refused: requests must target main');

    // The hand-over queued before the retarget runs now: it re-reads the PR and refuses.
    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(gh, p.number)).toMatch(/must target `main`/);
    expect(sessions(web1)).toBe(0);
    expect(pwned(web1)).toBe(false);

    const back = gh.editPull(p.number, { base: 'main' });
    const again = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'edited', p.number, {
        changes: gh.editedChanges(p.number, back),
      }),
    });
    expect(again.outputs.phase).toBe('approved');
    expect(validateStatus(gh, p.headSha)?.state).toBe('success');
    // The refused hand-over is not taken for done: a new one goes out.
    expect(gh.dispatches()).toHaveLength(2);
  });

  it('a config edit on main after the prompt voids it: /confirm is refused with the recheck message, and /recheck gives a new prompt', async () => {
    const [web1] = fleet().servers as [TestServer];
    const key = fleet().clientKey.privateKey;
    const config = flowConfig([web1]);
    const p = await promptedFlow([web1], key);
    const checked = sessions(web1);

    // Not even the environment changes: a comment line. The file is what was reviewed.
    p.gh.commitOn('main', { [CONFIG_PATH]: `# reviewed by ops\n${config}` });
    const refused = await p.say('dev', `/confirm ${p.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(
      /the configuration changed since the prompt.*Comment `\/recheck` for a new prompt/,
    );
    expect(sessions(web1)).toBe(checked);
    expect(releases(web1)).toEqual([]);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');

    const recheck = await p.say('dev', '/recheck');
    expect(recheck.outputs.phase).toBe('awaiting-confirmation');
    expect(recheck.outputs.digest).not.toBe(p.digest);
    const deployed = await p.say('dev', `/confirm ${recheck.outputs.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
  });

  it('a base.sha lagging behind main never selects the older config: a removed approver and its provisioning are gone', async () => {
    const [web1] = fleet().servers as [TestServer];
    const key = fleet().clientKey.privateKey;
    const old = flowConfig([web1], {
      provision: { commands: [{ name: 'old', run: 'touch "$HOME/old-config"' }] },
      approval: { stages: [{ name: 'lead', reviewers: ['mallory'], required: 1 }] },
    });
    const gh = await repoWithConfig(old);
    const p = await openFlow([web1], key, { gh, approve: false });
    const openedAt = gh.pull(p.number).baseSha;

    // mallory is removed as an approver on main; the PR's base.sha still points before that.
    gh.commitOn('main', {
      [CONFIG_PATH]: flowConfig([web1], {
        provision: { commands: [{ name: 'new', run: 'touch "$HOME/new-config"' }] },
        approval: { stages: [{ name: 'lead', reviewers: ['tina'], required: 1 }] },
      }),
    });
    expect(gh.pull(p.number).baseSha).toBe(openedAt);
    expect(gh.branch('main')).not.toBe(openedAt);

    const id = gh.review(p.number, 'mallory', 'APPROVED');
    const gate = await reviewRun(gh, p.number, id);
    expect(gate.outputs.phase).toBe('awaiting-approval');
    expect(gh.dispatches()).toEqual([]);
    const early = await p.dispatch();
    expect(early.outputs.phase).toBe('refused');
    expect(sessions(web1)).toBe(0);

    gh.review(p.number, 'tina', 'APPROVED');
    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    expect(existsSync(join(web1.home, 'new-config'))).toBe(true);
    expect(existsSync(join(web1.home, 'old-config'))).toBe(false);
  });
});
