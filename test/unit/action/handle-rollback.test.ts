// /rollback on the in-memory fake of GitHub: the offer, its /confirm end to end, and every
// refusal, with the servers' side (reading the ledgers, switching) given as data
// (test/e2e/rollback.e2e.test.ts runs them on real sshd).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readLedgers } from '../../../src/ledger/read-ledgers.js';
import { rollbackEnvironment } from '../../../src/steps/rollback-step.js';
import { placeHold } from '../../../src/state/environment-hold.js';
import { setSignedState } from '../../support/signed-state.js';
import { openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { seedPromptOn } from '../support/fake-run-context.js';
import { deployedRepo, LEDGERS, R1, R2, runOf } from '../support/rollback-repo.js';

vi.mock('../../../src/ledger/read-ledgers.js', () => ({ readLedgers: vi.fn() }));
vi.mock('../../../src/steps/rollback-step.js', () => ({ rollbackEnvironment: vi.fn() }));

beforeEach(() => {
  vi.mocked(readLedgers).mockReset().mockResolvedValue(LEDGERS);
  vi.mocked(rollbackEnvironment).mockReset().mockResolvedValue(runOf(true));
});

describe('/rollback', () => {
  it('offers the newest earlier release as a signed plan; /confirm by another allowed person rolls back', async () => {
    const { gh, say, number } = await deployedRepo();
    const offer = await say('olga', '/rollback');
    expect(offer.outcome).toMatchObject({ phase: 'awaiting-confirmation', environment: 'staging' });
    expect(offer.reply).toContain(
      `switch \`current\` to \`${R1}\` on web-1, web-2; run activate and health check`,
    );
    const planReply = gh.comments(number).find((c) => c.body.includes('Roll back web'))!.body;
    expect(planReply).toContain(`\`${R1}\` is release \`20261201\` deployed.`);
    const digest = offer.outcome.digest!;
    const done = await say('tina', `/confirm ${digest.slice(0, 16)}`);
    expect(done.outcome).toMatchObject({ phase: 'deployed', result: `Rolled back to ${R1}` });
    expect(done.reply).toContain(`Rolled back web in staging to ${R1}`);
    expect(gh.deploymentState(done.outcome.deploymentId!)).toBe('success');
    const [, , , plan, digestArg, actor] = vi.mocked(rollbackEnvironment).mock.calls[0]!;
    expect(plan).toMatchObject({
      target: R1,
      expected: { 'web-1': R2, 'web-2': R2 },
      env: { RELEASE: '20261201' },
    });
    expect(plan.abandoned?.['web-1']?.id).toBe(R2);
    expect(digestArg).toBe(digest);
    expect(actor).toEqual({ login: 'tina', pr: number });
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
    // Never twice: the plan has run.
    const again = await say('tina', `/confirm ${digest}`);
    expect(again.reply).toMatch(/already been deployed; nothing is deployed twice/);
  });

  it('a failed rollback: Deployment failure, per-server result, phase deploy-failed', async () => {
    vi.mocked(rollbackEnvironment).mockResolvedValue(runOf(false));
    const { gh, say } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const done = await say('alice', `/confirm ${offer.outcome.digest}`);
    expect(done.outcome).toMatchObject({
      phase: 'deploy-failed',
      result: `Rollback to ${R1} failed`,
    });
    expect(done.outcome.message).toMatch(/web-1 failed its health check/);
    expect(done.reply).toMatch(/web-1 \| ↩️ switched back to/);
    expect(done.reply).toMatch(/web-2 \| ⏭️ not started/);
    expect(gh.deploymentState(done.outcome.deploymentId!)).toBe('failure');
  });

  it.each([
    ['someone not allowed', 'mallory', '/rollback', {}, /@mallory may not roll back/],
    [
      'a PR that never deployed',
      'alice',
      '/rollback',
      { deployed: false },
      /has not deployed to `staging`/,
    ],
    ['an unknown release', 'alice', '/rollback nope', {}, /unknown release `nope`/],
  ])('refuses %s', async (_name, user, body, o, want) => {
    const { say, gh } = await deployedRepo(o);
    const got = await say(user, body);
    expect(got.outcome.phase).toBe('refused');
    expect(got.reply).toMatch(want);
    expect(gh.deployments('staging')).toHaveLength(1);
  });

  it('refuses on a closed pull request, saying the request no longer verifies', async () => {
    const { say, gh, number } = await deployedRepo();
    gh.closePull(number);
    expect((await say('alice', '/rollback')).reply).toMatch(
      /no longer verifies: Pull request #\d+ is closed/,
    );
  });

  it('refuses while a deployment holds the lock; a lock left by a finished one does not count', async () => {
    const { say, gh, port, trust, headSha } = await deployedRepo();
    const other = openRequest(gh, { request: REQUEST.replace('1.4.2', '1.4.3') });
    const id = await seedPromptOn(port, trust, {
      sha: other.headSha,
      payload: { pr: other.number },
    });
    gh.setBranch('deploy-request/lock/staging', other.headSha);
    expect((await say('alice', '/rollback')).reply).toMatch(
      new RegExp(`lock is held by pull request #${other.number}`),
    );
    setSignedState(gh, trust, id, 'failure');
    expect((await say('alice', '/rollback')).outcome.phase).toBe('awaiting-confirmation');
    gh.setBranch('deploy-request/lock/staging', gh.branch(gh.defaultBranch)!);
    expect((await say('alice', '/rollback')).reply).toMatch(/lock is held by commit [0-9a-f]{7}\)/);
    gh.setBranch('deploy-request/lock/staging', headSha);
    expect((await say('alice', '/rollback')).reply).toMatch(/lock is held by this pull request/);
  });

  it('refuses while a hold stands', async () => {
    const { say, port, trust } = await deployedRepo();
    await placeHold(
      port,
      trust,
      { environment: 'staging', holder: 'olga', reason: 'db work' },
      new Date(),
    );
    expect((await say('alice', '/rollback')).reply).toMatch(
      /held by @olga since .* \(reason: db work, /,
    );
  });
});
