// SPEC §4 invariant 11 for holds (/lock): a hold is the branch deploy-request/hold/<env> and the
// commit it points at, and anyone with write access can make both. Only a commit message whose
// facts carry the trusted run's MAC holds anything: a forged hold cannot stop a deployment, an
// expired hold cannot be extended by editing its expiry, and /lock replaces what does not verify.
// Through dist/index.js against real sshd.
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import type { GitHubPort } from '../../src/github/port.js';
import { createStateSigner } from '../../src/state/state-signer.js';
import { holdMessage, holdRefName, type Hold } from '../../src/state/environment-hold.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { seedHold } from '../support/signed-hold.js';
import { lastReply, promptedFlow, releases, resetHome, useSshServers } from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** A writer's token (a collaborator, or a PR workflow granted `contents: write`). */
function attacker(gh: GitHubStandIn): GitHubPort {
  return createGitHubPort(createClient({ token: gh.tokens.write, baseUrl: gh.url }), {
    owner: gh.owner,
    repo: gh.repo,
  });
}

/** Points the hold branch of staging at a new commit with `message`, as a writer can. */
async function forgeHold(gh: GitHubStandIn, message: string): Promise<void> {
  const port = attacker(gh);
  const tip = (await port.getRefSha('heads/main'))!;
  const sha = await port.createCommit(message, (await port.getCommit(tip))!.treeSha);
  await port.deleteRef(holdRefName('staging'));
  expect(await port.createRef(holdRefName('staging'), sha)).toBe(true);
}

async function prompted() {
  const { servers, clientKey } = fleet();
  return promptedFlow(servers, clientKey.privateKey, { operators: ['otto'] });
}

describe('invariant 11: holds are signed; a forged or edited hold holds nothing', () => {
  it('a forged hold (branch and commit made by a writer) does not stop /confirm; the log says why', async () => {
    const p = await prompted();
    const fake: Hold = {
      environment: 'staging',
      holder: 'otto',
      reason: 'looks real',
      since: new Date().toISOString(),
    };
    await forgeHold(p.gh, holdMessage(createStateSigner(Buffer.from('guess'), 'acme/app'), fake));
    const before = releases(fleet().servers[0]!);
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deployed');
    expect(releases(fleet().servers[0]!)).toHaveLength(before.length + 1);
    expect(result.stdout).toMatch(
      /Ignored the hold branch of staging \(commit [0-9a-f]{7}\): its signature does not verify/,
    );
    // And an operator's /lock replaces it with a real hold.
    const locked = await p.say('otto', '/lock staging real one');
    expect(locked.outputs.phase).toBe('ignored');
    expect(lastReply(p.gh, p.number)).toContain('is now held by @otto');
  });

  it('an expired hold whose expiry a writer moved later holds nothing: the MAC covers the expiry', async () => {
    const p = await prompted();
    const since = new Date(Date.now() - 3_600_000);
    await seedHold(
      p.gh,
      p.key,
      { environment: 'staging', holder: 'otto', reason: 'night', forMinutes: 30 },
      since,
    );
    const port = attacker(p.gh);
    const real = (await port.getCommit((await port.getRefSha(holdRefName('staging')))!))!.message;
    const extended = real.replace(/"expiresAt":"[^"]+"/, '"expiresAt":"2099-01-01T00:00:00.000Z"');
    expect(extended).not.toBe(real);
    await forgeHold(p.gh, extended);
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deployed');
    expect(result.stdout).toMatch(/Ignored the hold branch of staging .*does not verify/);
  });
});
