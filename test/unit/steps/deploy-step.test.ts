// runDeployment on real sshd servers: a release asset streamed through the port onto the runner,
// then the rollout; a failure in a later batch rolls the earlier servers back to their release.
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDeployment, runDeployment } from '../../../src/steps/deploy-step.js';
import type { VerifiedRequest } from '../../../src/steps/verify-request.js';
import { evaluateApprovals } from '../../../src/approval/evaluate-approvals.js';
import type { PullRequestInfo } from '../../../src/github/port.js';
import { makeTarball } from '../deploy/support.js';
import { configFor, useSshServers } from '../../e2e/servers-scenario.js';
import { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { contextFor, loaded } from '../support/run-context.js';

const fleet = useSshServers(2);

const pull: PullRequestInfo = {
  number: 7,
  state: 'open',
  merged: false,
  draft: false,
  author: 'dev',
  authorIsBot: false,
  headSha: 'c'.repeat(40),
  headRepoFullName: 'acme/app',
  baseSha: 'b'.repeat(40),
  baseRef: 'main',
  htmlUrl: '',
  requestedUsers: [],
  requestedTeams: [],
};

async function verified(health: string, sha256: string): Promise<VerifiedRequest> {
  const { servers } = fleet();
  const { config, request } = loaded(
    configFor(servers, {
      deploy: { batch_size: 1, health_check: { run: health, retries: 1, interval_s: 1 } },
    }),
    `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  release_asset: { tag: v1.4.2, name: web.tgz }\n  sha256: ${sha256}\nreason: r\n`,
  );
  const environment = config.environments.staging!;
  return {
    pull,
    file: 'deploy-requests/web.yml',
    request,
    config,
    environment,
    configSha: 'c'.repeat(40),
    approval: evaluateApprovals({
      author: 'dev',
      headSha: pull.headSha,
      reviews: [],
      stages: [],
      ordered: true,
      allowSelfApproval: false,
      teamMembers: new Map(),
    }),
    sticky: undefined,
    data: {},
    defaultBranch: 'main',
  };
}

describe('runDeployment', () => {
  it('fetches a release asset, deploys every server; a later failing batch rolls the first back', async () => {
    const { servers, clientKey } = fleet();
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const artifact = await makeTarball({ 'index.html': 'v1' });
    const gh = new GitHubStandIn();
    await gh.start();
    try {
      gh.createRelease('v1.4.2', { assets: { 'web.tgz': readFileSync(artifact.file) } });
      const ctx = contextFor(gh, {
        settings: { sshPrivateKey: clientKey.privateKey, workspace: '/nonexistent-workspace' },
        now: new Date('2026-01-01T00:00:00Z'),
      });
      const first1 = await verified('true', artifact.sha256);
      const prepared = await prepareDeployment(ctx, first1);
      const ok = await runDeployment(ctx, first1, 'a'.repeat(64), prepared);
      await prepared.dispose();
      // Through the API (with the token) to the asset host (without it).
      expect(await gh.assetHostCalls()).toMatchObject([{ authorization: null, status: 200 }]);
      expect(ok.releaseId).toBe('20260101T000000Z-aaaaaaaaaaaa');
      expect(ok.artifactSha256).toBe(artifact.sha256);
      expect(ok.rollout).toMatchObject({ ok: true, batches: [[first.name], [second.name]] });
      expect(ctx.recorded.info).toContainEqual(
        `Artifact ready: ${artifact.size} bytes, sha256 ${artifact.sha256}.`,
      );

      const later = contextFor(gh, {
        settings: { sshPrivateKey: clientKey.privateKey },
        now: new Date('2026-01-02T00:00:00Z'),
      });
      const second1 = await verified(`test "$(id -un)" != "${second.user}"`, artifact.sha256);
      const failing = await runDeployment(
        later,
        second1,
        'b'.repeat(64),
        await prepareDeployment(later, second1),
      );
      expect(failing.rollout.ok).toBe(false);
      expect(failing.rollout.results.map((r) => [r.server, r.ok])).toEqual([
        [first.name, true],
        [second.name, false],
      ]);
      expect(failing.rollout.rollbacks).toEqual([
        expect.objectContaining({ server: first.name, ok: true, rolledBack: true }),
      ]);
      // Both servers are back on the first deployment's release.
      for (const server of [first, second]) {
        expect(readlinkSync(join(server.home, 'app/current'))).toBe(
          'releases/20260101T000000Z-aaaaaaaaaaaa',
        );
      }
    } finally {
      await gh.close();
    }
  });
});
