// /rollback and /confirm on a rollback plan, on the in-memory fake of GitHub: every refusal and
// both results, with the servers' side (reading the ledgers, switching) replaced by answers the
// test gives (test/e2e/rollback.e2e.test.ts runs them on real sshd).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handleComment } from '../../../src/action/handle-comment.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import type { CommentEvent } from '../../../src/edge/event.js';
import type { ServerLedger } from '../../../src/ledger/types.js';
import { readLedgers } from '../../../src/ledger/read-ledgers.js';
import { rollbackEnvironment, type RollbackRun } from '../../../src/steps/rollback-step.js';
import { placeHold } from '../../../src/state/environment-hold.js';
import { setSignedState, testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { fakeContextFor, fakeRepoWith, seedPromptOn } from '../support/fake-run-context.js';
import { configSha, loaded } from '../support/run-context.js';

vi.mock('../../../src/ledger/read-ledgers.js', () => ({ readLedgers: vi.fn() }));
vi.mock('../../../src/steps/rollback-step.js', () => ({ rollbackEnvironment: vi.fn() }));

const R1 = '20261201T100000Z-aaaaaaaaaaaa';
const R2 = '20261202T100000Z-bbbbbbbbbbbb';
const release = (id: string) => ({
  id,
  complete: true,
  bad: false,
  meta: { release: id.slice(0, 8) },
});
const LEDGERS: ServerLedger[] = ['web-1', 'web-2'].map((server) => ({
  server,
  ok: true,
  current: R2,
  releases: [release(R2), release(R1)],
}));

function runOf(ok: boolean): RollbackRun {
  const switched = (server: string, good: boolean) => ({
    server,
    ok: good,
    switched: true,
    switchedBack: !good,
    health: good ? ('passed' as const) : ('failed' as const),
    markedBad: good,
    error: good ? undefined : 'health check failed',
    durationMs: 1200,
    steps: [],
  });
  return ok
    ? {
        ok,
        target: R1,
        batches: [['web-1'], ['web-2']],
        results: [switched('web-1', true), switched('web-2', true)],
        reverts: [],
        untouched: [],
      }
    : {
        ok,
        target: R1,
        reason: 'web-1 failed its health check.',
        batches: [['web-1'], ['web-2']],
        results: [switched('web-1', false)],
        reverts: [],
        untouched: ['web-2'],
      };
}

/** A reply as people read it: without Markdown escapes and the zero-width space after @. */
const plain = (markdown: string): string => markdown.replace(/\u200b/g, '').replace(/\\(.)/g, '$1');

async function deployedRepo(o: { deployed?: boolean } = {}) {
  const fake = fakeRepoWith();
  const { gh, port } = fake;
  const { number, headSha } = openRequest(gh);
  for (const user of ['tina', 'olga', 'oscar']) gh.review(number, user, 'APPROVED');
  const { config, request } = loaded(CONFIG, REQUEST);
  const digest = requestDigest(
    request,
    config.environments.staging!,
    headSha,
    await configSha(port),
  );
  const trust = trustOf(gh, testDeployKey());
  const id = await seedPromptOn(port, trust, { sha: headSha, payload: { pr: number, digest } });
  if (o.deployed !== false) setSignedState(gh, trust, id, 'success');
  const say = async (user: string, body: string, o: Parameters<typeof fakeContextFor>[1] = {}) => {
    const event: CommentEvent = {
      kind: 'issue_comment',
      action: 'created',
      pullNumber: number,
      comment: {
        id: gh.comment(number, user, body),
        user,
        userIsBot: false,
        body,
        association: 'MEMBER',
      },
    };
    const ctx = fakeContextFor(fake, o);
    return {
      outcome: await handleComment(ctx, event),
      reply: plain(gh.comments(number).at(-1)?.body ?? ''),
      warnings: ctx.recorded.warning,
    };
  };
  return { fake, gh, port, number, headSha, trust, say };
}

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

  it('/confirm of a plan: not allowed, a hold placed meanwhile, the lock taken meanwhile', async () => {
    const { say, gh, port, trust, headSha } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const digest = offer.outcome.digest!;
    expect((await say('dev', `/confirm ${digest}`)).reply).toMatch(/@dev may not roll back/);
    gh.setBranch('deploy-request/lock/staging', headSha);
    expect((await say('alice', `/confirm ${digest}`)).reply).toMatch(/already in progress/);
    gh.setBranch('deploy-request/lock/staging', gh.branch(gh.defaultBranch)!);
    expect((await say('alice', `/confirm ${digest}`)).reply).toMatch(
      /is locked by commit [0-9a-f]{7}/,
    );
    await placeHold(
      port,
      trust,
      { environment: 'staging', holder: 'olga', reason: 'db work' },
      new Date(),
    );
    expect((await say('alice', `/confirm ${digest}`)).reply).toMatch(/held by @olga/);
    expect(vi.mocked(rollbackEnvironment)).not.toHaveBeenCalled();
  });

  it('/confirm of an expired plan marks it inactive and names /rollback', async () => {
    const { say, gh } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const late = new Date(Date.now() + 48 * 3_600_000);
    const got = await say('alice', `/confirm ${offer.outcome.digest}`, { now: late });
    expect(got.reply).toMatch(/expired at .* Comment `\/rollback` for a new one/);
    expect(gh.deploymentState(offer.outcome.deploymentId!)).toBe('inactive');
  });

  it('/confirm that finds the plan already run under the lock runs nothing', async () => {
    const { say, gh, port, trust } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const id = offer.outcome.deploymentId!;
    let reads = 0;
    const got = await say('alice', `/confirm ${offer.outcome.digest}`, {
      github: {
        // The read under the lock sees what a concurrent run did meanwhile.
        listDeploymentStatuses: async (deployment) => {
          if (deployment === id && ++reads === 2) setSignedState(gh, trust, id, 'success');
          return port.listDeploymentStatuses(deployment);
        },
      },
    });
    expect(got.reply).toMatch(/this rollback is already success; nothing runs twice/);
    expect(vi.mocked(rollbackEnvironment)).not.toHaveBeenCalled();
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
  });

  it('a server whose switch back failed says so', async () => {
    const run = runOf(true);
    vi.mocked(rollbackEnvironment).mockResolvedValue({
      ...run,
      ok: false,
      results: [run.results[0]!, { ...run.results[1]!, ok: false, switchedBack: true }],
      reverts: [
        {
          server: 'web-1',
          ok: false,
          rolledBack: false,
          error: 'ssh lost',
          durationMs: 1,
          steps: [],
        },
      ],
    });
    const { say } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const got = await say('alice', `/confirm ${offer.outcome.digest}`);
    expect(got.reply).toMatch(/web-1 \| ❌ failed, left on .* switching back failed: ssh lost/);
  });

  it('/confirm takes over a lock left by a finished deployment, and logs it', async () => {
    const { say, gh, port, trust } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    const other = openRequest(gh, { request: REQUEST.replace('1.4.2', '1.4.3') });
    const id = await seedPromptOn(port, trust, {
      sha: other.headSha,
      payload: { pr: other.number },
    });
    setSignedState(gh, trust, id, 'failure');
    gh.setBranch('deploy-request/lock/staging', other.headSha);
    const got = await say('alice', `/confirm ${offer.outcome.digest}`);
    expect(got.outcome.phase).toBe('deployed');
    expect(got.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`Took over a stale lock of staging from pull request #${other.number}`),
      ),
    );
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
  });

  it('/confirm when the servers moved on since the plan: refused, the plan closed, nothing switched', async () => {
    const { say, gh } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    vi.mocked(readLedgers).mockResolvedValue([
      { ...LEDGERS[0]!, current: R1 } as ServerLedger,
      LEDGERS[1]!,
    ]);
    const got = await say('alice', `/confirm ${offer.outcome.digest}`);
    expect(got.reply).toMatch(/servers changed since the plan \(web-1 is on/);
    expect(gh.deploymentState(offer.outcome.deploymentId!)).toBe('inactive');
    expect(vi.mocked(rollbackEnvironment)).not.toHaveBeenCalled();
  });

  it('/confirm while a server cannot be read: refused, the plan stays open', async () => {
    const { say, gh } = await deployedRepo();
    const offer = await say('alice', '/rollback');
    vi.mocked(readLedgers).mockResolvedValue([
      LEDGERS[0]!,
      { server: 'web-2', ok: false, error: 'timed out' },
    ]);
    const got = await say('alice', `/confirm ${offer.outcome.digest}`);
    expect(got.reply).toMatch(/web-2 \(timed out\) could not be read/);
    expect(gh.deploymentState(offer.outcome.deploymentId!)).toBe('queued');
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
  });
});
