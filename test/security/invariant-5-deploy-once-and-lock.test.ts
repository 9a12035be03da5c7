// SPEC §4 invariant 5: a re-run or a repeated /confirm never deploys twice; two requests for the
// same environment never deploy at once (the lock is a visible ref, released on finish, failure
// and cancel). Through dist/index.js against real sshd.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueCommentEvent } from '../support/events.js';
import {
  blockingHook,
  fifo,
  lastReply,
  LOCK_REF,
  lockRefs,
  promptedFlow,
  releases,
  resetHome,
  run,
  untilStarted,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const COUNTING = { activate: 'echo "$RELEASE" >> "$HOME/activations"' };

function activations(): number {
  const file = join(fleet().servers[0]!.home, 'activations');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('invariant 5: never deploy twice, never two at once', { timeout: 120_000 }, () => {
  it('a re-run of the /confirm run, a repeated /confirm, a re-run of the hand-over and /recheck deploy nothing again', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey, { deploy: COUNTING });
    const id = p.gh.comment(p.number, 'dev', `/confirm ${p.digest}`);
    const confirmRun = (runAttempt: number) =>
      run(p.gh, {
        eventName: 'issue_comment',
        payload: issueCommentEvent(p.gh, 'created', id),
        inputs: { 'ssh-private-key': p.key },
        cwd: p.workspace,
        runId: 4242,
        runAttempt,
      });
    const first = await confirmRun(1);
    expect(first.outputs.phase).toBe('deployed');
    const deployed = releases(servers[0]!);
    expect(deployed).toHaveLength(1);
    expect(activations()).toBe(1);

    // GitHub's "Re-run job" replays the same event.
    const rerun = await confirmRun(2);
    expect(rerun.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(/already been deployed; nothing is deployed twice/);

    const repeated = await p.say('dev', `/confirm ${p.digest}`);
    expect(repeated.outputs.phase).toBe('refused');

    // A re-run of the hand-over (or a /recheck) must not open a new prompt for the deployed plan,
    // or the same /confirm would deploy it again.
    const handOver = await p.dispatch();
    expect(handOver.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(/already been deployed \(deployment \d+\)/);
    const recheck = await p.say('dev', '/recheck');
    expect(recheck.outputs.phase).toBe('refused');
    const afterRecheck = await p.say('dev', `/confirm ${p.digest}`);
    expect(afterRecheck.outputs.phase).toBe('refused');

    expect(p.gh.deployments('staging')).toHaveLength(1);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('success');
    expect(
      p.gh.comments(p.number).filter((c) => c.body.includes('Confirm this deployment')),
    ).toHaveLength(1);
    expect(releases(servers[0]!)).toEqual(deployed);
    expect(activations()).toBe(1);
  });

  it('two requests for one environment: the second is refused while the lock ref is held, then deploys after', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const deploy = { ...COUNTING, before_activate: [blockingHook('a')] };
    const a = await promptedFlow(servers, clientKey.privateKey, { deploy });
    const b = await promptedFlow(servers, clientKey.privateKey, {
      gh: a.gh,
      author: 'erin',
      requestPath: 'deploy-requests/web-other.yml',
    });
    const go = fifo(server, 'a.go');
    const started = fifo(server, 'a.started');

    const running = a.say('dev', `/confirm ${a.digest}`);
    await untilStarted(started, running);
    // Mid-deployment: the lock is a visible branch pointing at A's head, A's Deployment is in progress.
    expect(a.gh.refs()[LOCK_REF]).toBe(a.headSha);
    expect(a.gh.deploymentState(a.deploymentId)).toBe('in_progress');

    const refused = await b.say('erin', `/confirm ${b.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(b.gh, b.number)).toMatch(
      new RegExp(`locked by pull request \\\\?#${a.number} \\(deploying since`),
    );
    expect(b.gh.deploymentState(b.deploymentId)).toBe('queued');
    // Lock contention is expected: no request-log warning ("POST …/git/refs - 422 with id …").
    expect(refused.stdout).not.toMatch(/^::warning::.* - \d{3} with id /m);
    expect(releases(server)).toHaveLength(1); // only A's (still being prepared)

    await writeFile(go, 'go');
    expect((await running).outputs.phase).toBe('deployed');
    expect(lockRefs(a.gh)).toEqual([]); // released after success

    const second = await b.say('erin', `/confirm ${b.digest}`);
    expect(second.outputs.phase).toBe('deployed');
    expect(lockRefs(a.gh)).toEqual([]);
    expect(releases(server)).toHaveLength(2);
    expect(activations()).toBe(2);
  });

  it('a lock whose holder has not marked its deployment in progress yet is not taken over', async () => {
    const { servers, clientKey } = fleet();
    const a = await promptedFlow(servers, clientKey.privateKey);
    const b = await promptedFlow(servers, clientKey.privateKey, {
      gh: a.gh,
      author: 'erin',
      requestPath: 'deploy-requests/web-other.yml',
    });
    // A's /confirm run has just created the lock; its Deployment is still `queued` (the next call
    // marks it in_progress). Treating that as a finished holder let B deploy at the same time.
    a.gh.setBranch('deploy-request/lock/staging', a.headSha);
    const refused = await b.say('erin', `/confirm ${b.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(refused.stdout).not.toMatch(/Took over/);
    expect(lastReply(b.gh, b.number)).toMatch(/starting its deployment/);
    expect(a.gh.refs()[LOCK_REF]).toBe(a.headSha);
    expect(releases(servers[0]!)).toEqual([]);

    // The holder withdraws (or finishes): the lock goes, and B deploys.
    expect((await a.say('dev', '/cancel')).outputs.phase).toBe('cancelled');
    expect((await b.say('erin', `/confirm ${b.digest}`)).outputs.phase).toBe('deployed');
  });

  it('the lock is released after a failed deployment', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey, {
      deploy: { activate: 'exit 3' },
    });
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deploy-failed');
    expect(result.code).toBe(1);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('failure');
    expect(lockRefs(p.gh)).toEqual([]);
  });

  it('/cancel releases a lock the request holds, but never while its deployment is running', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const p = await promptedFlow(servers, clientKey.privateKey, {
      deploy: { ...COUNTING, before_activate: [blockingHook('c')] },
    });
    const go = fifo(server, 'c.go');
    const started = fifo(server, 'c.started');
    const running = p.say('dev', `/confirm ${p.digest}`);
    await untilStarted(started, running);

    const cancel = await p.say('dev', '/cancel');
    expect(cancel.outputs.phase).toBe('cancelled');
    // Still deploying: releasing the lock now would let another request deploy at the same time.
    expect(p.gh.refs()[LOCK_REF]).toBe(p.headSha);
    expect(cancel.stdout).toMatch(/in progress: it finishes \(or rolls back\) and then releases/);

    await writeFile(go, 'go');
    expect((await running).outputs.phase).toBe('deployed');
    expect(lockRefs(p.gh)).toEqual([]);
  });

  it('/cancel releases a lock left behind by a run that died after taking it', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    p.gh.setBranch('deploy-request/lock/staging', p.headSha);
    const cancel = await p.say('dev', '/cancel');
    expect(cancel.outputs.phase).toBe('cancelled');
    expect(lockRefs(p.gh)).toEqual([]);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('inactive');
  });
});
