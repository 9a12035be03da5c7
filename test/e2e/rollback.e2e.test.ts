// /rollback and its /confirm (issue 15) on real sshd servers, through dist/index.js: the offer,
// the atomic switch back on every server, the abandoned release marked bad, and each refusal.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentAndRun, promptRequest } from './deploy-scenario.js';
import { CONFIG_PATH } from './scenario.js';
import { currentOf, deployTwo, lastReply, ledgerOf, rollbackDeploy } from './rollback-scenario.js';
import { configFor, serverEntry, useSshServers } from './servers-scenario.js';

const fleet = useSshServers(3);

const activations = (home: string, path: string): string[] => {
  const file = join(home, `activations-${path}`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
};

// Each test runs the built action seven to nine times (two deployments first) on real sshd.
describe('/rollback (e2e, real sshd)', { timeout: 120_000 }, () => {
  it('offers release 1 on the PR of release 2; /confirm switches every server back and marks release 2 bad', async () => {
    const { servers, clientKey } = fleet();
    const two = servers.slice(0, 2);
    const { first, second: p, r1, r2 } = await deployTwo(two, clientKey.privateKey, 'app-a');

    // olga reviews through the team acme/ops (read with the members token): allowed by default.
    const offer = await commentAndRun(p, 'olga', '/rollback');
    expect(offer.outputs.phase, offer.stdout).toBe('awaiting-confirmation');
    expect(lastReply(p)).toContain(
      `switch \`current\` to \`${r1}\` on web-1, web-2; run activate and health check`,
    );
    // What release 1 was, from its ledger entry.
    expect(lastReply(p)).toContain(
      `\`${r1}\` is release \`1.4.2\` deployed from #${first.number} at `,
    );
    expect(
      p.gh.comments(p.number).find((c) => c.body.includes('deploy-request:status'))?.body,
    ).toContain(`/confirm ${offer.outputs.digest!.slice(0, 16)}`);
    for (const server of two) expect(currentOf(server, 'app-a')).toBe(r2);

    // Someone else in rollback.allowed confirms (not the requester).
    const done = await commentAndRun(p, 'oscar', `/confirm ${offer.outputs.digest!.slice(0, 16)}`);
    expect(done.outputs.phase, done.stdout).toBe('deployed');
    expect(done.outputs.result).toBe(`Rolled back to ${r1}`);
    for (const server of two) {
      expect(currentOf(server, 'app-a')).toBe(r1);
      expect(ledgerOf(server, 'app-a', r2)).toMatchObject({
        bad: true,
        bad_reason: `rolled back by @oscar (#${p.number})`,
      });
      expect(activations(server.home, 'app-a').at(-1)).toBe(r1);
    }
    const id = Number(done.outputs['deployment-id']);
    expect(p.gh.deploymentState(id)).toBe('success');
    expect(lastReply(p)).toContain(`Rolled back web in staging to ${r1}`);
    expect(Object.keys(p.gh.refs()).filter((r) => r.includes('deploy-request/lock'))).toEqual([]);

    // Release 2 is never offered again: by default nothing is older than release 1, by name it is bad.
    const again = await commentAndRun(p, 'olga', '/rollback');
    expect(again.outputs.phase).toBe('refused');
    const named = await commentAndRun(p, 'olga', `/rollback ${r2}`);
    expect(named.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/is marked bad: rolled back by @oscar/);
  });

  it('refusals: an unknown id, someone not allowed, a release missing on one server, a server unreachable; nothing moves', async () => {
    const { servers, clientKey } = fleet();
    const two = servers.slice(0, 2);
    const {
      second: p,
      r1,
      r2,
    } = await deployTwo(two, clientKey.privateKey, 'app-b', {
      rollback: { allowed: ['alice'] },
    });
    const unknown = await commentAndRun(p, 'alice', '/rollback 20200101T000000Z-000000000000');
    expect(unknown.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /unknown release .*20200101T000000Z-000000000000.*no target server keeps it/,
    );

    const olga = await commentAndRun(p, 'olga', '/rollback');
    expect(olga.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/@olga may not roll back this environment; only @alice may/);

    rmSync(join(two[1]!.home, 'app-b/releases', r1), { recursive: true, force: true });
    const missing = await commentAndRun(p, 'alice', '/rollback');
    expect(missing.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(new RegExp(`${r1}.* is incomplete on web-2 \\(missing\\)`));
    for (const server of two) expect(currentOf(server, 'app-b')).toBe(r2);

    // web-2 unreachable (the trusted config now names a port nothing listens on): no offer at all.
    const down = configFor(two, {
      deploy: rollbackDeploy('app-b'),
      rollback: { allowed: ['alice'] },
      servers: [serverEntry(two[0]!), { ...serverEntry(two[1]!), port: 1 }],
    });
    p.gh.commitOn('main', { [CONFIG_PATH]: down });
    const unreachable = await commentAndRun(p, 'alice', '/rollback');
    expect(unreachable.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /the releases of web-2 \(.+\) could not be read, so no rollback is offered/,
    );
    expect(
      p.gh
        .deployments('staging')
        .filter((d) => (d.payload as Record<string, unknown>).kind === 'rollback'),
    ).toEqual([]);
  });

  it('refused while a hold stands or a deployment holds the lock; /confirm only by those allowed', async () => {
    const { servers, clientKey } = fleet();
    const two = servers.slice(0, 2);
    const { second: p, r2 } = await deployTwo(two, clientKey.privateKey, 'app-c', {
      operators: ['olga'],
    });
    const offer = await commentAndRun(p, 'alice', '/rollback');
    expect(offer.outputs.phase).toBe('awaiting-confirmation');
    const digest = offer.outputs.digest!;
    const dev = await commentAndRun(p, 'dev', `/confirm ${digest}`);
    expect(dev.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/@dev may not roll back this environment/);

    expect((await commentAndRun(p, 'olga', '/lock staging db maintenance')).outputs.phase).not.toBe(
      'refused',
    );
    const held = await commentAndRun(p, 'alice', '/rollback');
    expect(held.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(/staging` is held by @olga since .*reason: db maintenance/);
    expect((await commentAndRun(p, 'alice', `/confirm ${digest}`)).outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      /nothing was rolled back and the plan stays open: .* held by @olga/,
    );
    await commentAndRun(p, 'olga', '/unlock staging');

    // A third request starts its deployment: its prompt is open and it holds the lock.
    const other = await promptRequest(p.gh, clientKey.privateKey, {
      file: 'deploy-requests/web-3.yml',
    });
    p.gh.setBranch('deploy-request/lock/staging', other.headSha);
    const refused = await commentAndRun(p, 'alice', '/rollback');
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(
      new RegExp(
        `a deployment is running on .*staging.* \\(the lock is held by pull request #${other.number}\\)`,
      ),
    );
    const confirm = await commentAndRun(p, 'alice', `/confirm ${digest}`);
    expect(confirm.outputs.phase).toBe('refused');
    expect(lastReply(p)).toMatch(new RegExp(`locked by pull request #${other.number}`));
    for (const server of two) expect(currentOf(server, 'app-c')).toBe(r2);
  });

  it('atomic: a server failing its health check after the switch goes back, and so does every server already switched; later ones are untouched', async () => {
    const { servers, clientKey } = fleet();
    const { second: p, r1, r2 } = await deployTwo(servers, clientKey.privateKey, 'app-d');
    const offer = await commentAndRun(p, 'alice', '/rollback');
    expect(offer.outputs.phase).toBe('awaiting-confirmation');
    const before = servers.map((s) => activations(s.home, 'app-d'));
    writeFileSync(join(servers[1]!.home, 'unhealthy-app-d'), '');

    const failed = await commentAndRun(p, 'alice', `/confirm ${offer.outputs.digest}`);
    expect(failed.outputs.phase, failed.stdout).toBe('deploy-failed');
    expect(failed.outputs.result).toBe(`Rollback to ${r1} failed`);
    for (const server of servers) {
      expect(currentOf(server, 'app-d')).toBe(r2);
      expect(ledgerOf(server, 'app-d', r2)).toMatchObject({ bad: false });
    }
    // web-1 and web-2 ran activate in release 1 and again in release 2; web-3 never started.
    for (const i of [0, 1]) expect(activations(servers[i]!.home, 'app-d').at(-1)).toBe(r2);
    expect(activations(servers[0]!.home, 'app-d').slice(before[0]!.length)).toContain(r1);
    expect(activations(servers[2]!.home, 'app-d')).toEqual(before[2]);
    expect(p.gh.deploymentState(Number(failed.outputs['deployment-id']))).toBe('failure');
    expect(lastReply(p)).toMatch(/Rollback of web in staging to .* failed/);
    expect(lastReply(p)).toMatch(/web-3 \| ⏭️ not started/);
  });
});
