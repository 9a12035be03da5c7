// /lock and /unlock through dist/index.js, the stand-in and real sshd: an operator's hold refuses
// /confirm (no SSH session, no release, the prompt stays open) until /unlock; who may; a hold
// already standing; expiry (a hold placed in the past by the test's clock, no waiting); an
// unknown environment.
import { beforeEach, describe, expect, it } from 'vitest';
import { seedHold } from '../support/signed-hold.js';
import { releases, resetHome, sessions } from '../security/support.js';
import { commentAndRun, promptedPull, type Prompted } from './deploy-scenario.js';
import { useSshServers } from './servers-scenario.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));
const HOLD_BRANCH = 'deploy-request/hold/staging';
const MINUTE = 60_000;

/** A prompted request on staging, whose operators are otto and the team acme/ops. */
async function prompted(): Promise<Prompted> {
  return promptedPull(fleet().servers, fleet().clientKey.privateKey, {
    operators: ['otto', 'acme/ops'],
  });
}

/** A comment's text as people read it: Markdown escapes and mention breakers removed. */
function lastReply(p: Prompted): string {
  const body = p.gh.comments(p.number).at(-1)?.body ?? '';
  return body.replace(/\\([\\`*_[\]<>#|~])/g, '$1').replace(/@\u200b/g, '@');
}

describe('/lock and /unlock (e2e)', () => {
  it('an operator holds the environment: /confirm runs nothing and the prompt stays open; after /unlock it deploys', async () => {
    const p = await prompted();
    const server = fleet().servers[0]!;
    const locked = await commentAndRun(p, 'olga', '/lock staging db migration for 2h');
    expect(locked.outputs).toMatchObject({ phase: 'ignored', environment: 'staging' });
    expect(lastReply(p)).toMatch(/^🔒 Environment `staging` is now held by @olga: db migration/);
    expect(p.gh.branch(HOLD_BRANCH)).toBeDefined();

    const [before, opened] = [sessions(server), releases(server)];
    const deploymentId = p.gh.deployments('staging')[0]!.id;
    const refused = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /was refused: nothing was deployed and the prompt stays open: environment `staging` is held by @olga since \S+ \(reason: db migration, until \S+\); an operator can `\/unlock staging`\./,
    );
    expect(sessions(server)).toBe(before);
    expect(releases(server)).toEqual(opened);
    expect(p.gh.deploymentState(deploymentId)).toBe('queued');
    expect(p.gh.branch('deploy-request/lock/staging')).toBeUndefined();

    const unlocked = await commentAndRun(p, 'otto', '/unlock staging');
    expect(unlocked.outputs.phase).toBe('ignored');
    expect(lastReply(p)).toMatch(/^🔓 The hold of `staging` by @olga .* was lifted by @otto\./);
    expect(p.gh.branch(HOLD_BRANCH)).toBeUndefined();
    const deployed = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(releases(server)).toHaveLength(opened.length + 1);
  });

  it('/lock by someone not among the operators is refused, naming who may; nothing is held', async () => {
    const p = await prompted();
    const result = await commentAndRun(p, 'dev', '/lock staging mine');
    expect(result.outputs.phase).toBe('refused');
    expect(lastReply(p)).toContain(
      '`/lock` was refused: @dev may not lock or unlock `staging`; only @otto, `acme/ops` may (`operators` of environment `staging` in `.github/deploy-request.yml`).',
    );
    expect(p.gh.branch(HOLD_BRANCH)).toBeUndefined();
    const deployed = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
  });

  it('a hold already standing: a second /lock is refused, saying who holds it, why, since and until', async () => {
    const p = await prompted();
    await commentAndRun(p, 'otto', '/lock staging incident 42');
    const first = p.gh.branch(HOLD_BRANCH);
    const again = await commentAndRun(p, 'olga', '/lock staging release for 1d');
    expect(again.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /was refused: it is already held: environment `staging` is held by @otto since \S+ \(reason: incident 42, until unlocked\); an operator can `\/unlock staging`\./,
    );
    expect(p.gh.branch(HOLD_BRANCH)).toBe(first);
  });

  it('an expired hold holds nothing: /confirm deploys, /lock replaces it, /unlock of an expired one says so', async () => {
    const p = await prompted();
    const hold = { environment: 'staging', holder: 'olga', reason: 'night', forMinutes: 30 };
    const placedAt = new Date(Date.now() - 120 * MINUTE);
    await seedHold(p.gh, p.key, hold, placedAt);
    const deployed = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(deployed.stdout).toMatch(
      /The hold of staging by olga expired at \S+; it holds nothing\./,
    );

    const relocked = await commentAndRun(p, 'otto', '/lock staging next one');
    expect(relocked.outputs.phase).toBe('ignored');
    expect(lastReply(p)).toMatch(/is now held by @otto: next one/);

    await commentAndRun(p, 'otto', '/unlock staging');
    await seedHold(p.gh, p.key, hold, placedAt);
    const tidied = await commentAndRun(p, 'otto', '/unlock staging');
    expect(tidied.outputs.phase).toBe('ignored');
    const expiredAt = new Date(placedAt.getTime() + 30 * MINUTE).toISOString();
    expect(lastReply(p)).toContain(
      `The hold of \`staging\` by @olga (since ${placedAt.toISOString()}, reason: night) had already expired at ${expiredAt}; @otto removed it.`,
    );
    expect(p.gh.branch(HOLD_BRANCH)).toBeUndefined();
  });

  it('an unknown environment is refused, listing the known ones; /unlock with no hold says so', async () => {
    const p = await prompted();
    const unknown = await commentAndRun(p, 'otto', '/lock prod maintenance');
    expect(unknown.outputs.phase).toBe('refused');
    expect(lastReply(p)).toContain(
      'there is no environment `prod` in `.github/deploy-request.yml` on `main`; the environments are `staging`.',
    );
    const none = await commentAndRun(p, 'otto', '/unlock staging');
    expect(none.outputs.phase).toBe('refused');
    expect(lastReply(p)).toContain(
      'environment `staging` is not held; there is nothing to unlock.',
    );
  });
});
