// SPEC §3 /confirm and §5 "On each server": the whole path from prompt to deployed release on
// real sshd servers, through dist/index.js.
import { existsSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSshServers } from './servers-scenario.js';
import { commentAndRun, promptedPull } from './deploy-scenario.js';

const fleet = useSshServers(2);

describe('/confirm deploys (e2e, real sshd)', () => {
  it('happy path: current → new release with contents and metadata, activate ran, Deployment success, lock released', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedPull(servers, clientKey.privateKey, {
      variables: 'variables: { FEATURE_CHECKOUT: "on" }\n',
    });
    p.gh.clearCalls();
    const result = await commentAndRun(p, 'dev', `/confirm ${p.digest.slice(0, 16)}`);
    // The budget of a /confirm run (see the README's Performance section for the list), with the
    // ref read of main's tip that invariant 1 needs (the config at the tip, not at base.sha).
    const calls = p.gh.calls({}).map((c) => `${c.method} ${c.path}`);
    expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(20);

    expect(result.outputs.phase).toBe('deployed');
    expect(result.code).toBe(0);
    expect(result.outputs.result).toBe('2/2 servers deployed');
    for (const server of servers) {
      const current = readlinkSync(join(server.home, 'app/current'));
      expect(current).toMatch(/^releases\/\d{8}T\d{6}Z-[0-9a-f]{12}$/);
      const release = join(server.home, 'app', current);
      expect(readFileSync(join(release, 'index.html'), 'utf8')).toBe('hello 1.4.2');
      const meta = JSON.parse(readFileSync(join(release, '.deploy-request.json'), 'utf8'));
      expect(meta).toMatchObject({
        application: 'web',
        release: '1.4.2',
        digest: p.digest,
        head_sha: p.headSha,
        pull_request: p.number,
        request_file: expect.stringMatching(/^deploy-requests\//),
        result: 'deployed',
        bad: false,
        finished_at: expect.stringMatching(/Z$/),
      });
      expect(readFileSync(join(server.home, 'activated'), 'utf8')).toBe('1.4.2 on\n');
    }
    const id = Number(result.outputs['deployment-id']);
    expect(p.gh.deploymentState(id)).toBe('success');
    expect(Object.keys(p.gh.refs()).filter((r) => r.includes('deploy-request/lock'))).toEqual([]);
    expect(
      p.gh.comments(p.number).some((c) => c.body.includes('🚀 Deployed web 1.4.2 to staging')),
    ).toBe(true);
  });

  it('a replayed /confirm deploys once (invariant 5)', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedPull(servers.slice(0, 1), clientKey.privateKey);
    const first = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(first.outputs.phase).toBe('deployed');
    const releases = readdirSync(join(servers[0]!.home, 'app/releases'));
    const again = await commentAndRun(p, 'dev', `/confirm ${p.digest}`);
    expect(again.outputs.phase).toBe('refused');
    expect(p.gh.comments(p.number).at(-1)?.body).toMatch(/already been deployed/);
    expect(readdirSync(join(servers[0]!.home, 'app/releases'))).toEqual(releases);
  });

  it('refusals: not the requester, wrong digest, edited comment — nothing runs (invariant 4)', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedPull(servers.slice(0, 1), clientKey.privateKey);
    const releasesDir = join(servers[0]!.home, 'app/releases');
    const before = existsSync(releasesDir) ? readdirSync(releasesDir) : [];
    const notRequester = await commentAndRun(p, 'alice', `/confirm ${p.digest}`);
    expect(notRequester.outputs.phase).toBe('refused');
    expect(p.gh.comments(p.number).at(-1)?.body).toMatch(/only the requester/);
    const wrong = await commentAndRun(p, 'dev', `/confirm ${'0'.repeat(16)}`);
    expect(wrong.outputs.phase).toBe('refused');
    expect(p.gh.comments(p.number).at(-1)?.body).toMatch(/does not match/);
    const edited = await commentAndRun(p, 'dev', `/confirm ${p.digest}`, 'edited');
    expect(edited.outputs.phase).toBe('refused');
    expect(p.gh.comments(p.number).at(-1)?.body).toMatch(/edited/);
    expect(existsSync(releasesDir) ? readdirSync(releasesDir) : []).toEqual(before);
    expect(p.gh.deployments('staging').map((d) => p.gh.deploymentState(d.id))).toEqual(['queued']);
  });
});
