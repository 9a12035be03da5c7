// GitHub faults through dist/index.js: 502s and secondary rate limits (403 + retry-after) on reads
// and writes are retried and the run still ends right, without a duplicated comment, dispatch or
// Deployment, also when GitHub made the write before answering 502; a sticky comment deleted by a
// user is recreated; slow answers are waited for; a GitHub that keeps failing ends the run with a
// clear message and no stack trace.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  expectNoStackTrace,
  gate,
  lockRefs,
  openFlow,
  resetHome,
  stickyOf,
  useSshServers,
  type GitHubStandIn,
} from '../security/support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const BAD_GATEWAY = { status: 502, body: { message: 'Server Error' } };

/** Requests matching `path` (and method) and their answers, in order. */
function answers(gh: GitHubStandIn, method: string, path: RegExp): number[] {
  return gh.calls({ method, path }).map((c) => c.status);
}

function stickies(gh: GitHubStandIn, pr: number) {
  return gh.comments(pr).filter((c) => c.body.startsWith('<!-- deploy-request:status -->'));
}

describe('GitHub faults', () => {
  it('gate: 502s and secondary rate limits on reads and writes are retried; one sticky, one hand-over', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const gh = p.gh;
    gh.inject({
      method: 'GET',
      path: /\/contents\/\.github\/deploy-request\.yml$/,
      ...BAD_GATEWAY,
    });
    gh.injectSecondaryRateLimit(/\/pulls\/\d+\/reviews$/, 1, 'GET');
    gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, ...BAD_GATEWAY });
    gh.injectSecondaryRateLimit(/\/actions\/workflows\/.*\/dispatches$/, 1, 'POST');
    gh.injectSecondaryRateLimit(/\/statuses\//, 1, 'POST');

    const result = await gate(gh, p.number);
    expect(result.outputs.phase).toBe('approved');
    expect(result.code).toBe(0);
    expectNoStackTrace(result);
    expect(answers(gh, 'GET', /\/contents\/\.github\/deploy-request\.yml$/)).toEqual([502, 200]);
    expect(answers(gh, 'GET', /\/pulls\/\d+\/reviews$/)).toEqual([403, 200]);
    expect(answers(gh, 'POST', /\/issues\/\d+\/comments$/)).toEqual([502, 201]);
    expect(answers(gh, 'POST', /\/dispatches$/)).toEqual([403, 204]);
    expect(stickies(gh, p.number)).toHaveLength(1);
    expect(gh.dispatches()).toHaveLength(1);
    const contexts = gh.statuses(p.headSha).map((s) => s.context);
    expect(contexts.sort()).toEqual(['deploy-request/approval', 'deploy-request/validate']);
    expect(result.stdout).toMatch(/secondary rate limit on POST .*; retrying in 1s/);
  });

  it('trusted runs: faults on the Deployment, its statuses, the prompt comment and the lock ref are retried; nothing is duplicated', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const gh = p.gh;
    gh.inject({ method: 'POST', path: /\/deployments$/, ...BAD_GATEWAY });
    gh.injectSecondaryRateLimit(/\/deployments\/\d+\/statuses$/, 1, 'POST');
    gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, ...BAD_GATEWAY });
    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    expect(gh.deployments()).toHaveLength(1);
    expect(gh.comments(p.number).filter((c) => c.body.includes('Confirm this'))).toHaveLength(1);
    expect(gh.deploymentState(Number(prompt.outputs['deployment-id']))).toBe('queued');

    gh.inject({ method: 'POST', path: /\/git\/refs$/, ...BAD_GATEWAY });
    gh.inject({ method: 'DELETE', path: /\/git\/refs\//, ...BAD_GATEWAY });
    gh.injectSecondaryRateLimit(/\/deployments\/\d+\/statuses$/, 1, 'POST');
    const confirm = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(confirm.outputs.phase).toBe('deployed');
    expectNoStackTrace(confirm);
    expect(answers(gh, 'POST', /\/git\/refs$/)).toEqual([502, 201]);
    expect(answers(gh, 'DELETE', /\/git\/refs\//)).toEqual([502, 204]);
    expect(lockRefs(gh)).toEqual([]);
    expect(gh.deployments()).toHaveLength(1);
    const states = gh.deploymentStatuses(gh.deployments()[0]!.id).map((s) => s.state);
    expect(states).toEqual(['queued', 'in_progress', 'success']);
    expect(gh.comments(p.number).filter((c) => c.body.includes('Deployed web 1.4.2'))).toHaveLength(
      1,
    );
  });

  it('trusted runs: GitHub makes the Deployment, the prompt comment and the lock ref but answers 502; each is found and used, none made twice', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    const gh = p.gh;
    const appliedThen502 = { ...BAD_GATEWAY, afterApply: true };
    gh.inject({ method: 'POST', path: /\/deployments$/, ...appliedThen502 });
    gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, ...appliedThen502 });
    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    expectNoStackTrace(prompt);
    expect(answers(gh, 'POST', /\/deployments$/)).toEqual([502]);
    // The prompt (502, found and used), then the sticky status comment.
    expect(answers(gh, 'POST', /\/issues\/\d+\/comments$/)).toEqual([502, 201]);
    expect(stickies(gh, p.number)).toHaveLength(1);
    const [deployment, ...more] = gh.deployments();
    expect(more).toEqual([]);
    expect(prompt.outputs['deployment-id']).toBe(String(deployment!.id));
    expect(gh.deploymentState(deployment!.id)).toBe('queued');
    expect(gh.comments(p.number).filter((c) => c.body.includes('Confirm this'))).toHaveLength(1);

    // The lock: our own fresh ref must not read as someone else's (or as a deployment running).
    gh.inject({ method: 'POST', path: /\/git\/refs$/, ...appliedThen502 });
    const confirm = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(confirm.outputs.phase).toBe('deployed');
    expectNoStackTrace(confirm);
    expect(answers(gh, 'POST', /\/git\/refs$/)).toEqual([502]);
    expect(lockRefs(gh)).toEqual([]);
    expect(gh.deployments()).toHaveLength(1);
    expect(gh.deploymentStatuses(deployment!.id).map((s) => s.state)).toEqual([
      'queued',
      'in_progress',
      'success',
    ]);
  });

  it('a sticky comment deleted by a user is recreated, whether deleted before the run or while it runs', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, { approve: false });
    const gh = p.gh;
    await gate(gh, p.number);
    const [first] = stickies(gh, p.number);
    gh.deleteComment(first!.id);

    // Deleted before the run: the run finds none and creates it.
    gh.review(p.number, 'alice', 'APPROVED');
    const again = await gate(gh, p.number, 'edited');
    expect(again.outputs.phase).toBe('awaiting-approval');
    const [second] = stickies(gh, p.number);
    expect(second!.id).not.toBe(first!.id);
    expect(second!.body).toMatch(/\| 1\. lead \| 1 of 1 \|/);

    // Deleted while the run works: the update answers 404, and the run creates a new one.
    gh.review(p.number, 'olga', 'APPROVED');
    gh.inject({ method: 'PATCH', path: `/issues/comments/${second!.id}`, status: 404 });
    const third = await gate(gh, p.number, 'edited');
    expect(third.outputs.phase).toBe('awaiting-approval');
    expect(third.code).toBe(0);
    gh.deleteComment(second!.id); // what the 404 stood for
    expect(stickies(gh, p.number)).toHaveLength(1);
    expect(stickyOf(gh, p.number)).toMatch(/\| 2\. ops \| 1 of 2 \|/);
  });

  it('slow answers are waited for', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    p.gh.inject({ method: 'GET', path: /\/pulls\/\d+\/files$/, delayMs: 1500 });
    p.gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, delayMs: 1500 });
    const result = await gate(p.gh, p.number);
    expect(result.outputs.phase).toBe('approved');
    expect(result.durationMs).toBeGreaterThanOrEqual(3000);
    expect(stickies(p.gh, p.number)).toHaveLength(1);
  });

  it('a GitHub that keeps answering 500 ends the run with a clear message and no stack trace', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    p.gh.inject({
      method: 'GET',
      path: /\/pulls\/\d+\/files$/,
      times: 10,
      status: 500,
      body: { message: 'Internal Server Error' },
    });
    const result = await gate(p.gh, p.number);
    expect(result.code).toBe(1);
    expectNoStackTrace(result);
    expect(answers(p.gh, 'GET', /\/pulls\/\d+\/files$/)).toEqual([500, 500, 500, 500]);
    expect(result.stdout).toMatch(
      /^::error::GitHub answered 500 \(Internal Server Error\) to GET \/repos\/acme\/app\/pulls\/\d+\/files\S* 4 times; GitHub may be having problems .*re-run/m,
    );
    expect(p.gh.dispatches()).toEqual([]);
  });
});
