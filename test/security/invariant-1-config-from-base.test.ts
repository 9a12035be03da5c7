// SPEC §4 invariant 1: the trusted configuration comes from the base branch only. A PR that edits
// .github/deploy-request.yml (making its friend an approver, allowing self-approval, adding a
// server, changing provisioning and deploy.activate) changes nothing for itself: not in the gate,
// not in the trusted workflow_dispatch run, not in the /confirm run, even though the PR's config
// is right there in the checked-out workspace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_PATH,
  configFor,
  gate,
  lastReply,
  openFlow,
  resetHome,
  reviewRun,
  sessions,
  stickyOf,
  useSshServers,
  type TestServer,
} from './support.js';

const fleet = useSshServers(2);
beforeEach(() => fleet().servers.forEach(resetHome));

const BASE_DEPLOY = {
  activate: 'echo base > "$HOME/activated-by"',
  health_check: { run: './bin/health', retries: 1, interval_s: 0 },
};

/** What the PR would like the config to be: its friend approves, an extra server, its commands. */
function prConfig(servers: TestServer[]): string {
  const config = load(
    configFor(servers, {
      provision: { commands: [{ name: 'pr', run: 'touch "$HOME/pr-provision"' }] },
      deploy: {
        activate: 'echo pr > "$HOME/activated-by"; touch "$HOME/pwned"',
        before_activate: ['touch "$HOME/pwned-before"'],
      },
    }),
  ) as { allow_self_approval?: boolean; environments: { staging: { approval: unknown } } };
  config.allow_self_approval = true;
  config.environments.staging.approval = {
    stages: [{ name: 'lead', reviewers: ['mallory'], required: 1 }],
  };
  return dump(config);
}

describe('invariant 1: config from the base branch only', () => {
  it('gate: approvals by an approver the PR added, or by its author, count for nothing; a server the PR added is unknown', async () => {
    const [web1, web2] = fleet().servers as [TestServer, TestServer];
    const evil = prConfig([web1, web2]);
    expect(evil).toContain('- mallory');
    expect(evil).toContain('allow_self_approval: true');
    const p = await openFlow([web1], fleet().clientKey.privateKey, {
      approve: false,
      deploy: BASE_DEPLOY,
      extraFiles: { [CONFIG_PATH]: evil },
    });
    p.gh.review(p.number, 'dev', 'APPROVED', { unchecked: true });
    const id = p.gh.review(p.number, 'mallory', 'APPROVED');
    const result = await reviewRun(p.gh, p.number, id);
    expect(result.outputs.phase).toBe('awaiting-approval');
    expect(p.gh.dispatches()).toEqual([]);
    expect(stickyOf(p.gh, p.number)).toMatch(/\| 1\. lead \| 0 of 1 \|/);

    // A request for the server the PR added is invalid against the base config.
    const q = await openFlow([web1], fleet().clientKey.privateKey, {
      gh: p.gh,
      requestPath: 'deploy-requests/web-2.yml',
      variables: `servers: [${web2.name}]\n`,
      extraFiles: { [CONFIG_PATH]: evil },
    });
    const invalid = await gate(q.gh, q.number);
    expect(invalid.outputs.phase).toBe('invalid');
    expect(stickyOf(q.gh, q.number)).toMatch(
      new RegExp(
        `${web2.name}\\\\?\` is not a server of environment .{1,3}staging.{1,3}; known: ${web1.name} \\|`,
      ),
    );
    const trusted = await q.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(q.gh, q.number)).toMatch(/is not valid at the head commit/);
    expect(sessions(web1) + sessions(web2)).toBe(0);
  });

  it('trusted runs: the plan, provisioning and activate are the base config’s; the added server is never contacted', async () => {
    const [web1, web2] = fleet().servers as [TestServer, TestServer];
    const p = await openFlow([web1], fleet().clientKey.privateKey, {
      deploy: BASE_DEPLOY,
      extraFiles: { [CONFIG_PATH]: prConfig([web1, web2]) },
    });
    // The checkout the trusted run works in holds the PR's config: it must not be read.
    expect(readFileSync(join(p.workspace, CONFIG_PATH), 'utf8')).toContain('pwned');

    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const confirmation = p.gh.comments(p.number).find((c) => c.body.includes('Confirm this'))!;
    expect(confirmation.body).toMatch(new RegExp(`1: ${web1.name}(?!,)`));
    expect(confirmation.body).not.toContain(web2.name);
    expect(existsSync(join(web1.home, 'pr-provision'))).toBe(false);
    expect(existsSync(join(web1.home, 'app/shared/.provisioned'))).toBe(true); // the base's

    const deployed = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(readFileSync(join(web1.home, 'activated-by'), 'utf8')).toBe('base\n');
    for (const marker of ['pwned', 'pwned-before', 'pr-provision']) {
      expect(existsSync(join(web1.home, marker)), marker).toBe(false);
    }
    expect(sessions(web2)).toBe(0);
    expect(deployed.outputs.result).toBe('1/1 servers deployed');
  });
});
