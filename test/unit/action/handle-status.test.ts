// /status on the in-memory fake of GitHub, the servers' ledgers given as data
// (test/e2e/status.e2e.test.ts reads them from real sshd): the table, the locks, the hold, the open
// prompt of either kind, and each refusal.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handleComment } from '../../../src/action/handle-comment.js';
import type { CommentEvent } from '../../../src/edge/event.js';
import { readLedgers } from '../../../src/ledger/read-ledgers.js';
import type { ServerLedger } from '../../../src/ledger/types.js';
import { placeHold } from '../../../src/state/environment-hold.js';
import { setSignedState } from '../../support/signed-state.js';
import { openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { fakeContextFor, seedPromptOn } from '../support/fake-run-context.js';
import { deployedRepo, LEDGERS, plain, R1, R2 } from '../support/rollback-repo.js';

vi.mock('../../../src/ledger/read-ledgers.js', () => ({ readLedgers: vi.fn() }));

const UNREACHABLE: ServerLedger = { server: 'web-3', ok: false, error: 'connection refused' };

beforeEach(() => {
  vi.mocked(readLedgers).mockReset().mockResolvedValue(LEDGERS);
});

describe('/status', () => {
  it("the request's environment: each server's release and the kept ones; nothing held or open", async () => {
    vi.mocked(readLedgers).mockResolvedValue([...LEDGERS, UNREACHABLE]);
    const { say } = await deployedRepo();
    const got = await say('alice', '/status');
    expect(got.outcome).toMatchObject({ phase: 'ignored', environment: 'staging' });
    expect(got.outcome.message).toBe(
      'Reported the status of staging (1 server(s) could not be read).',
    );
    expect(got.reply).toContain('### 📋 Status of staging');
    expect(got.reply).toContain(
      `| web-1 | \`${R2}\` 20261202 | — | — | \`${R2}\` 20261202; \`${R1}\``,
    );
    expect(got.reply).toContain('| web-3 | ⚠️ could not be read: connection refused |');
    expect(got.reply).toContain('**Deployment lock:** free');
    expect(got.reply).toContain('**Hold:** none');
    expect(got.reply).toMatch(/\*\*Open prompt on #\d+:\*\* none/);
  });

  it('a named environment, with a running deployment, a hold and an open deployment prompt', async () => {
    const { say, gh, port, trust, number } = await deployedRepo({ deployed: false });
    const other = openRequest(gh, { request: REQUEST.replace('1.4.2', '1.4.3') });
    const id = await seedPromptOn(port, trust, {
      sha: other.headSha,
      payload: { pr: other.number },
    });
    setSignedState(gh, trust, id, 'in_progress');
    gh.setBranch('deploy-request/lock/staging', other.headSha);
    await placeHold(
      port,
      trust,
      { environment: 'staging', holder: 'otto', reason: 'db work', forMinutes: 120 },
      new Date(),
    );
    const got = await say('alice', '/status staging');
    expect(got.reply).toContain(`🔒 held by pull request #${other.number} (deploying since`);
    expect(got.reply).toMatch(/\*\*Hold:\*\* 🔒 @otto since .+: db work; expires .+ \(in 2 h\)/);
    expect(got.reply).toMatch(
      new RegExp(`Open prompt on #${number}:\\*\\* deploy \\S+, \`/confirm [0-9a-f]+\``),
    );
  });

  it('an open rollback plan names its target; a finished deployment holding the lock is stale', async () => {
    const { say, gh, headSha } = await deployedRepo();
    gh.setBranch('deploy-request/lock/staging', headSha);
    expect((await say('alice', '/status')).reply).toMatch(
      /held by pull request #\d+ \(its deployment is success\), stale: the next deployment takes it over/,
    );
    gh.deleteBranch('deploy-request/lock/staging');
    const offer = await say('olga', '/rollback');
    expect(offer.outcome.phase).toBe('awaiting-confirmation');
    const got = await say('alice', '/status');
    expect(got.reply).toContain(`roll back to ${R1}, \`/confirm ${offer.outcome.digest}\``);
  });

  it('refused: an outsider, an unknown environment, a pull request without a request', async () => {
    const { fake, gh, say, number } = await deployedRepo();
    const outsider: CommentEvent = {
      kind: 'issue_comment',
      action: 'created',
      pullNumber: number,
      comment: {
        id: gh.comment(number, 'mallory', '/status'),
        user: 'mallory',
        userIsBot: false,
        body: '/status',
        association: 'NONE',
      },
    };
    const refused = await handleComment(fakeContextFor(fake), outsider);
    expect(refused.phase, refused.message).toBe('refused');
    expect(plain(gh.comments(number).at(-1)!.body)).toContain(
      "only the repository's members and collaborators may ask for the servers' status (@mallory is none)",
    );

    const unknown = await say('alice', '/status nope');
    expect(unknown.outcome.phase).toBe('refused');
    expect(unknown.reply).toMatch(/no environment `nope`.*`staging`/);

    const bare = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'no request' } });
    const event: CommentEvent = {
      ...outsider,
      pullNumber: bare.number,
      comment: { ...outsider.comment, user: 'alice', association: 'MEMBER' },
    };
    expect((await handleComment(fakeContextFor(fake), event)).phase).toBe('refused');
    expect(plain(gh.comments(bare.number).at(-1)!.body)).toContain(
      'name one: `/status <environment>`',
    );
    expect(readLedgers).not.toHaveBeenCalled();
  });

  it('malformed arguments get the usage and run nothing', async () => {
    const { say } = await deployedRepo();
    const got = await say('alice', '/unlock');
    expect(got.outcome).toMatchObject({ phase: 'refused' });
    expect(got.reply).toContain(
      '`/unlock` was refused: name exactly one environment. Usage: `/unlock <environment>`.',
    );
  });
});
