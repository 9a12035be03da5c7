// The set-up of the rollback handler tests (test/unit/action/handle-rollback.test.ts,
// test/unit/steps/rollback-confirm.test.ts): a PR deployed on the in-memory fake of GitHub, the
// servers' ledgers and the rollback run as data the tests give (each test file mocks
// src/ledger/read-ledgers.js and src/steps/rollback-step.js itself: mocks are per file).
import { handleComment } from '../../../src/action/handle-comment.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import type { CommentEvent } from '../../../src/edge/event.js';
import type { ServerLedger } from '../../../src/ledger/types.js';
import type { RollbackRun } from '../../../src/steps/rollback-step.js';
import { setSignedState, testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { fakeContextFor, fakeRepoWith, seedPromptOn } from './fake-run-context.js';
import { configSha, loaded } from './run-context.js';

export const R1 = '20261201T100000Z-aaaaaaaaaaaa';
export const R2 = '20261202T100000Z-bbbbbbbbbbbb';
const release = (id: string) => ({
  id,
  complete: true,
  bad: false,
  meta: { release: id.slice(0, 8) },
});
export const LEDGERS: ServerLedger[] = ['web-1', 'web-2'].map((server) => ({
  server,
  ok: true,
  current: R2,
  releases: [release(R2), release(R1)],
}));

export function runOf(ok: boolean): RollbackRun {
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
export const plain = (markdown: string): string =>
  markdown.replace(/\u200b/g, '').replace(/\\(.)/g, '$1');

export async function deployedRepo(o: { deployed?: boolean } = {}) {
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
