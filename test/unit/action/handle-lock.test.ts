// /lock and /unlock handled on the in-memory fake of GitHub: who may (operators by login or
// team, teams read only when needed), every refusal with its reply and nothing changed, and the
// replies of a hold placed, lifted, or found expired.
import { describe, expect, it } from 'vitest';
import { handleComment } from '../../../src/action/handle-comment.js';
import type { CommentEvent } from '../../../src/edge/event.js';
import type { ActionSettings } from '../../../src/edge/settings.js';
import { placeHold, readHold } from '../../../src/state/environment-hold.js';
import { testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG } from '../../e2e/in-process/support.js';
import { fakeContextFor, fakeRepoWith } from '../support/fake-run-context.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const HOLD_BRANCH = 'deploy-request/hold/staging';

/** The fixture config with `operators` on staging (YAML flow list). */
function withOperators(list: string): string {
  const at = CONFIG.indexOf('    confirm:\n      within_hours: 24');
  return `${CONFIG.slice(0, at)}    operators: ${list}\n${CONFIG.slice(at)}`;
}

function setUp(config = withOperators("[opal, 'acme/ops']")) {
  const fake = fakeRepoWith(config);
  const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
  const trust = trustOf(fake.gh, testDeployKey());
  const say = async (user: string, body: string, settings: Partial<ActionSettings> = {}) => {
    const id = fake.gh.comment(number, user, body);
    const event: CommentEvent = {
      kind: 'issue_comment',
      action: 'created',
      pullNumber: number,
      comment: { id, user, userIsBot: false, body, association: 'MEMBER' },
    };
    const ctx = fakeContextFor(fake, { now: NOW, settings });
    const outcome = await handleComment(ctx, event);
    return { outcome, reply: fake.gh.comments(number).at(-1)!.body, ctx };
  };
  return { fake, gh: fake.gh, trust, say };
}

describe('/lock', () => {
  it('an operator named by login places the hold (no team read); the reply says who, why, since, until', async () => {
    const { fake, gh, trust, say } = setUp();
    const { outcome, reply } = await say('opal', '/lock staging database migration for 2h');
    expect(outcome).toEqual({
      phase: 'ignored',
      environment: 'staging',
      message: 'staging is held by opal until 2026-03-01T14:00:00.000Z.',
    });
    expect(reply).toBe(
      '🔒 Environment `staging` is now held by @opal: database migration\n\n' +
        'Since 2026-03-01T12:00:00.000Z, until 2026-03-01T14:00:00.000Z. No deployment starts there (`/confirm` is refused) until an operator comments `/unlock staging` or the hold expires.\n',
    );
    expect(fake.count('listTeamMembers')).toBe(0);
    expect(gh.branch(HOLD_BRANCH)).toBeDefined();
    expect(await readHold(fake.port, trust, 'staging', NOW)).toMatchObject({
      holder: 'opal',
      reason: 'database migration',
    });
  });

  it('a member of an operator team may; without a duration the hold stands until unlocked', async () => {
    const { fake, say } = setUp();
    const { outcome, reply } = await say('olga', '/lock staging freeze');
    expect(outcome.message).toBe('staging is held by olga until it is unlocked.');
    expect(reply).toContain('until unlocked. No deployment starts there');
    expect(reply).not.toContain('or the hold expires');
    expect(fake.count('listTeamMembers')).toBe(1);
  });

  it('someone not among the operators is refused, told who may; nothing is written', async () => {
    const { fake, gh, say } = setUp();
    const { outcome, reply } = await say('mallory', '/lock staging mine now');
    expect(outcome.phase).toBe('refused');
    expect(outcome.message).toBe(
      '/lock refused: @mallory may not lock or unlock `staging`; only @opal, `acme/ops` may (`operators` of environment `staging` in `.github/deploy-request.yml`).',
    );
    expect(reply).toContain(
      '⛔ `/lock` was refused: @mallory may not lock or unlock `staging`; only @opal, `acme/ops` may',
    );
    expect(reply).toContain('Nothing was run.');
    expect(gh.branch(HOLD_BRANCH)).toBeUndefined();
    expect(fake.count('createCommit')).toBe(0);
  });

  it('an environment without operators: nobody may, and the reply says where to add them', async () => {
    const { say } = setUp(CONFIG);
    const { outcome } = await say('opal', '/lock staging x');
    expect(outcome.message).toBe(
      '/lock refused: @opal may not lock or unlock `staging`: the environment has no operators. Add logins or org/team slugs to it (`operators` of environment `staging` in `.github/deploy-request.yml`).',
    );
  });

  it('an unknown environment is refused, listing the known ones', async () => {
    const { fake, say } = setUp();
    const { outcome } = await say('opal', '/lock prod x');
    expect(outcome.message).toBe(
      '/lock refused: there is no environment `prod` in `.github/deploy-request.yml` on `main`; the environments are `staging`, `production`.',
    );
    expect(fake.count('createCommit')).toBe(0);
  });

  it('an environment already held is refused, saying by whom, why, since and until', async () => {
    const { gh, trust, fake, say } = setUp();
    await placeHold(
      fake.port,
      trust,
      { environment: 'staging', holder: 'olga', reason: 'incident 42', forMinutes: 60 },
      new Date('2026-03-01T11:30:00.000Z'),
    );
    const before = gh.branch(HOLD_BRANCH);
    const { outcome, reply } = await say('opal', '/lock staging mine');
    expect(outcome.message).toBe(
      '/lock refused: it is already held: environment `staging` is held by @olga since 2026-03-01T11:30:00.000Z (reason: incident 42, until 2026-03-01T12:30:00.000Z); an operator can `/unlock staging`.',
    );
    expect(reply).toContain('Nothing was run.');
    expect(gh.branch(HOLD_BRANCH)).toBe(before);
    expect(fake.count('createCommit')).toBe(1); // the first hold's: nothing written for this one
  });

  it('the configuration is missing, invalid, or this run is not the default branch workflow: refused, saying so', async () => {
    expect((await setUp('').say('opal', '/lock staging x')).outcome.message).toMatch(
      /^\/lock refused: the configuration `\.github\/deploy-request\.yml` on `main` is not valid \(1 problem\(s\), e\.g\. line 1: /,
    );
    const none = setUp();
    none.gh.commitOn('main', { '.github/deploy-request.yml': null });
    expect((await none.say('opal', '/lock staging x')).outcome.message).toBe(
      '/lock refused: there is no configuration `.github/deploy-request.yml` on `main`; add it first.',
    );
    const big = setUp();
    big.gh.commitOn('main', { '.github/deploy-request.yml': 'x'.repeat(1024 * 1024 + 1) });
    expect((await big.say('opal', '/lock staging x')).outcome.message).toMatch(
      /^\/lock refused: `\.github\/deploy-request\.yml` on `main`: /,
    );
    const fork = setUp();
    const run = await fork.say('opal', '/lock staging x', { workflowRef: 'refs/heads/evil' });
    expect(run.outcome.message).toContain('uses the workflow from `refs/heads/evil`');
    expect(fork.gh.branch(HOLD_BRANCH)).toBeUndefined();
  });
});

describe('/unlock', () => {
  it('an operator lifts the hold; the reply names the hold lifted', async () => {
    const { gh, say } = setUp();
    await say('opal', '/lock staging migration');
    const { outcome, reply } = await say('olga', '/unlock staging');
    expect(outcome).toEqual({
      phase: 'ignored',
      environment: 'staging',
      message: 'olga lifted the hold of staging.',
    });
    expect(reply).toBe(
      '🔓 The hold of `staging` by @opal (since 2026-03-01T12:00:00.000Z, reason: migration) was lifted by @olga.\n\n' +
        'Deployments to `staging` may start again; an open prompt is confirmed with `/confirm <digest>` as before.\n',
    );
    expect(gh.branch(HOLD_BRANCH)).toBeUndefined();
  });

  it('when nothing holds the environment: refused, saying it is not held', async () => {
    const { say } = setUp();
    const { outcome } = await say('opal', '/unlock staging');
    expect(outcome.message).toBe(
      '/unlock refused: environment `staging` is not held; there is nothing to unlock.',
    );
  });

  it('an expired hold is removed and said to have expired', async () => {
    const { gh, trust, fake, say } = setUp();
    await placeHold(
      fake.port,
      trust,
      { environment: 'staging', holder: 'olga', reason: 'night', forMinutes: 30 },
      new Date('2026-03-01T10:00:00.000Z'),
    );
    const { outcome, reply } = await say('opal', '/unlock staging');
    expect(outcome.message).toBe('The hold of staging had expired; opal removed it.');
    expect(reply).toContain(
      'The hold of `staging` by @olga (since 2026-03-01T10:00:00.000Z, reason: night) had already expired at 2026-03-01T10:30:00.000Z; @opal removed it.',
    );
    expect(gh.branch(HOLD_BRANCH)).toBeUndefined();
  });

  it('someone not among the operators cannot unlock; the hold stays', async () => {
    const { gh, say } = setUp();
    await say('opal', '/lock staging migration');
    const { outcome } = await say('dev', '/unlock staging');
    expect(outcome.message).toMatch(/^\/unlock refused: @dev may not lock or unlock `staging`/);
    expect(gh.branch(HOLD_BRANCH)).toBeDefined();
  });
});
