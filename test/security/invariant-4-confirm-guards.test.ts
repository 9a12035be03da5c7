// SPEC §4 invariant 4: /confirm from anyone but the requester, without or with a wrong digest,
// before the prompt, after expiry, after a new push, in an edited comment, or with the digest of
// an older prompt is refused with a reply that says why, and nothing runs on the servers: no SSH
// session at all (~/.ssh/rc counts them), no release directory, no marker file.
import { seedPrompt, trustOf } from '../support/signed-state.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  lastReply,
  openFlow,
  releases,
  resetHome,
  sessions,
  useSshServers,
  type Flow,
  type TestServer,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const MARKERS = {
  before_activate: ['touch "$HOME/marker-before-activate"'],
  activate: 'touch "$HOME/marker-activate"',
};

/** Runs `/confirm …` as `user` and expects a refusal whose reply matches `why`, with nothing run. */
async function expectRefused(
  p: Flow,
  server: TestServer,
  user: string,
  body: string,
  why: RegExp,
  action: 'created' | 'edited' = 'created',
): Promise<void> {
  const before = sessions(server);
  const result = await p.say(user, body, { action });
  expect(result.outputs.phase, body).toBe('refused');
  expect(result.code).toBe(0); // a refusal explains itself; the job is not red
  const reply = lastReply(p.gh, p.number);
  expect(reply).toMatch(/^⛔ `\/confirm` was refused: /);
  expect(reply).toMatch(why);
  expect(sessions(server), `${body}: no SSH session`).toBe(before);
  expect(releases(server)).toEqual([]);
  expect(existsSync(join(server.home, 'marker-before-activate'))).toBe(false);
  expect(existsSync(join(server.home, 'marker-activate'))).toBe(false);
}

describe('invariant 4: /confirm guards (nothing runs on a refusal)', { timeout: 120_000 }, () => {
  it('before the prompt, from a non-requester, without or with a wrong digest, edited, after expiry', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const p = await openFlow(servers, clientKey.privateKey, { deploy: MARKERS });
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${'ab'.repeat(32)}`,
      /no confirmation prompt for the current head commit/,
    );
    expect(sessions(server)).toBe(0);

    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const digest = prompt.outputs.digest!;
    const deploymentId = Number(prompt.outputs['deployment-id']);

    await expectRefused(
      p,
      server,
      'alice',
      `/confirm ${digest}`,
      /only the requester \(@\u200b?dev\)/,
    );
    await expectRefused(p, server, 'dev', '/confirm', /give the digest from the confirmation/);
    await expectRefused(p, server, 'dev', `/confirm ${digest.slice(0, 6)}`, /at least 12 hex/);
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${'0'.repeat(16)}`,
      /digest does not match the current confirmation prompt/,
    );
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${digest}`,
      /commands count only in new comments, not in edited ones/,
      'edited',
    );
    // Time passes beyond confirm.within_hours: the trusted run's prompt for this plan, opened long
    // ago (its expiry is signed with it; moving it later in the payload would void the signature).
    const expired = await seedPrompt(p.gh, trustOf(p.gh, p.key), {
      sha: p.headSha,
      payload: { pr: p.number, digest, expiresAt: '2020-01-01T00:00:00.000Z' },
    });
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${digest}`,
      /prompt expired at 2020-01-01T00:00:00.000Z/,
    );
    expect(p.gh.deploymentState(expired)).toBe('inactive');
    expect(p.gh.deploymentState(deploymentId)).toBe('queued');
    await expectRefused(p, server, 'dev', `/confirm ${digest}`, /no longer open/);
  });

  it('after a new push, and with the digest of an older prompt; the current prompt still works', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const p = await openFlow(servers, clientKey.privateKey, { deploy: MARKERS });
    const first = await p.dispatch();
    const oldDigest = first.outputs.digest!;

    p.push({ 'README.md': 'a new push\n' });
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${oldDigest}`,
      /approvals are not complete for the head commit/,
    );

    p.approve();
    const second = await p.dispatch();
    expect(second.outputs.phase).toBe('awaiting-confirmation');
    const newDigest = second.outputs.digest!;
    expect(newDigest).not.toBe(oldDigest); // the digest binds the head SHA
    await expectRefused(
      p,
      server,
      'dev',
      `/confirm ${oldDigest}`,
      /does not match the current confirmation prompt .*older prompt/,
    );

    // The control: the same guards let the right /confirm through, and then markers appear.
    const ok = await p.say('dev', `/confirm ${newDigest}`);
    expect(ok.outputs.phase).toBe('deployed');
    expect(existsSync(join(server.home, 'marker-activate'))).toBe(true);
  });
});
