// /confirm on a rollback plan (src/steps/rollback-confirm.ts) on the in-memory fake of GitHub:
// who may, a hold or lock meanwhile, expiry, a race under the lock, servers that moved on or
// cannot be read, a failed switch back; the servers' side given as data.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readLedgers } from '../../../src/ledger/read-ledgers.js';
import type { ServerLedger } from '../../../src/ledger/types.js';
import { rollbackEnvironment } from '../../../src/steps/rollback-step.js';
import { placeHold } from '../../../src/state/environment-hold.js';
import { setSignedState } from '../../support/signed-state.js';
import { openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { seedPromptOn } from '../support/fake-run-context.js';
import { deployedRepo, LEDGERS, R1, runOf } from '../support/rollback-repo.js';

vi.mock('../../../src/ledger/read-ledgers.js', () => ({ readLedgers: vi.fn() }));
vi.mock('../../../src/steps/rollback-step.js', () => ({ rollbackEnvironment: vi.fn() }));

beforeEach(() => {
  vi.mocked(readLedgers).mockReset().mockResolvedValue(LEDGERS);
  vi.mocked(rollbackEnvironment).mockReset().mockResolvedValue(runOf(true));
});

describe('/confirm of a rollback plan', () => {
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
