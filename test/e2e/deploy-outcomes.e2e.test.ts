// SPEC §5 on the servers over several deployments: keep_releases pruning, and a failing health
// check rolling back to the previous release (deploy-failed), through dist/index.js.
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFor, useSshServers } from './servers-scenario.js';
import { commentAndRun, DEPLOY_DEFAULTS, promptRequest } from './deploy-scenario.js';
import { repoWithConfig } from './scenario.js';

const fleet = useSshServers(2);
const HEALTH = 'test -f "$RELEASE_DIR/index.html" && ! grep -q broken "$RELEASE_DIR/index.html"';

async function deploy(gh: Awaited<ReturnType<typeof repoWithConfig>>, n: number, content: string) {
  const p = await promptRequest(gh, fleet().clientKey.privateKey, {
    content,
    file: `deploy-requests/web-${n}.yml`,
  });
  return commentAndRun(p, 'dev', `/confirm ${p.digest}`);
}

describe('deployments over time (e2e, real sshd)', () => {
  it(
    'keeps keep_releases releases after four deployments, never removing current',
    { timeout: 120_000 },
    async () => {
      const gh = await repoWithConfig(
        configFor(fleet().servers, { deploy: { ...DEPLOY_DEFAULTS, keep_releases: 2 } }),
      );
      const ids: string[] = [];
      for (let n = 1; n <= 4; n++) {
        const result = await deploy(gh, n, `release ${n}`);
        expect(result.outputs.phase).toBe('deployed');
        ids.push(
          readlinkSync(join(fleet().servers[0]!.home, 'app/current')).replace('releases/', ''),
        );
      }
      for (const server of fleet().servers) {
        const releases = readdirSync(join(server.home, 'app/releases'))
          .filter((r) => !r.startsWith('.'))
          .sort();
        expect(releases).toEqual(ids.slice(-2).sort());
        expect(readFileSync(join(server.home, 'app/current/index.html'), 'utf8')).toBe('release 4');
      }
    },
  );

  it('a failing health check rolls every switched server back and reports deploy-failed', async () => {
    const gh = await repoWithConfig(
      configFor(fleet().servers, {
        deploy: {
          ...DEPLOY_DEFAULTS,
          batch_size: 2,
          health_check: { run: HEALTH, retries: 2, interval_s: 0.1 },
        },
      }),
    );
    const good = await deploy(gh, 1, 'good');
    expect(good.outputs.phase).toBe('deployed');
    const before = fleet().servers.map((s) => readlinkSync(join(s.home, 'app/current')));

    const bad = await deploy(gh, 2, 'broken');
    expect(bad.outputs.phase).toBe('deploy-failed');
    expect(bad.code).toBe(1);
    expect(bad.outputs.result).toMatch(/^0\/2 servers deployed$/);
    expect(fleet().servers.map((s) => readlinkSync(join(s.home, 'app/current')))).toEqual(before);
    const comment = gh.comments(2).find((c) => c.body.includes('Deployment of web'))?.body ?? '';
    expect(comment).toMatch(/Rolled back/);
    expect(comment).toMatch(/yes → /);
    const deployment = gh.deployments('staging').find((d) => d.sha === gh.pull(2).headSha);
    expect(gh.deploymentState(deployment!.id)).toBe('failure');
    expect(Object.keys(gh.refs()).filter((r) => r.includes('lock'))).toEqual([]);
  });
});
