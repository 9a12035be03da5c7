// The environment and deploy steps in pull mode on real sshd servers: nothing is downloaded on
// the runner; every server checks, then fetches, the release asset's signed link itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDeployment, runDeployment } from '../../../src/steps/deploy-step.js';
import { runEnvironmentStep } from '../../../src/steps/environment-step.js';
import type { VerifiedRequest } from '../../../src/steps/verify-request.js';
import { evaluateApprovals } from '../../../src/approval/evaluate-approvals.js';
import type { PullRequestInfo } from '../../../src/github/port.js';
import { makeTarball } from '../deploy/support.js';
import { configFor } from '../../e2e/servers-scenario.js';
import { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';
import { testTls } from '../../support/test-tls.js';
import { contextFor, loaded } from '../support/run-context.js';

let fleet: SshServers;
beforeAll(async () => {
  const tls = await testTls();
  fleet = await startSshServers(2, { namePrefix: 'steppull', setEnv: () => tls.clientEnv });
});
afterAll(async () => {
  await fleet?.stop();
});

const pull = {
  number: 7,
  author: 'dev',
  headSha: 'c'.repeat(40),
} as PullRequestInfo;

function verified(sha256: string): VerifiedRequest {
  const { config, request } = loaded(
    configFor(fleet.servers, { deploy: { batch_size: 2, transfer: 'pull' } }),
    `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  release_asset: { tag: v1.4.2, name: web.tgz }\n  sha256: ${sha256}\nreason: r\n`,
  );
  return {
    pull,
    file: 'deploy-requests/web.yml',
    request,
    config,
    environment: config.environments.staging!,
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

describe('pull mode in the environment step', () => {
  it('every server checks it can reach the signed link (no token) before the prompt opens', async () => {
    const artifact = await makeTarball({ 'index.html': 'pulled' });
    const gh = new GitHubStandIn({ assetHostTls: await testTls() });
    await gh.start();
    try {
      gh.createRelease('v1.4.2', { assets: { 'web.tgz': readFileSync(artifact.file) } });
      const ctx = contextFor(gh, {
        settings: { sshPrivateKey: fleet.clientKey.privateKey, workspace: '/nonexistent' },
      });
      // The step sets commit statuses and opens a prompt: on a real pull request of the stand-in.
      const opened = gh.openPull({ author: 'dev', headFiles: { 'deploy-requests/web.yml': 'x' } });
      const v = verified(artifact.sha256);
      const result = await runEnvironmentStep(ctx, { ...v, pull: { ...pull, ...opened } });
      expect(result).toMatchObject({
        kind: 'reported',
        outcome: { phase: 'awaiting-confirmation' },
      });
      const probes = await gh.assetHostCalls();
      expect(probes).toHaveLength(2);
      for (const probe of probes) {
        expect(probe.authorization).toBeNull();
        expect(probe.status).toBe(200);
      }
    } finally {
      await gh.close();
    }
  });
});

describe('pull mode in the deploy step', () => {
  it('the runner downloads nothing; both servers fetch the asset with one signed link and deploy', async () => {
    const artifact = await makeTarball({ 'index.html': 'pulled' });
    const gh = new GitHubStandIn({ assetHostTls: await testTls() });
    await gh.start();
    try {
      gh.createRelease('v1.4.2', { assets: { 'web.tgz': readFileSync(artifact.file) } });
      const ctx = contextFor(gh, {
        settings: { sshPrivateKey: fleet.clientKey.privateKey, workspace: '/nonexistent' },
        now: new Date('2026-01-01T00:00:00Z'),
      });
      const v = verified(artifact.sha256);
      const prepared = await prepareDeployment(ctx, v);
      // No artifact on the runner at all (nothing to read, wait for or stop): the link and the hash.
      expect(prepared.artifact).toBeUndefined();
      expect(prepared).toMatchObject({
        sha256: artifact.sha256,
        pull: { what: 'release asset web.tgz of v1.4.2' },
      });
      expect(await gh.assetHostCalls()).toEqual([]);
      const run = await runDeployment(ctx, v, 'a'.repeat(64), prepared);
      await prepared.dispose();
      expect(run.rollout.ok, JSON.stringify(run.rollout.results)).toBe(true);
      expect(ctx.recorded.info).toContainEqual(
        `Pull mode: each server downloads release asset web.tgz of v1.4.2 and verifies sha256 ${artifact.sha256}.`,
      );
      // One API request for the link serves the whole batch; two downloads, no token.
      expect(gh.calls({ path: /\/releases\/assets\// })).toHaveLength(1);
      expect(await gh.assetHostCalls()).toMatchObject([
        { authorization: null, status: 200, bytesSent: artifact.size },
        { authorization: null, status: 200, bytesSent: artifact.size },
      ]);
      for (const server of fleet.servers) {
        expect(readFileSync(join(server.home, 'app/current/index.html'), 'utf8')).toBe('pulled');
      }
    } finally {
      await gh.close();
    }
  });

  it('a release that does not exist is refused before any server is touched', async () => {
    const gh = new GitHubStandIn();
    await gh.start();
    try {
      const ctx = contextFor(gh, { settings: { sshPrivateKey: fleet.clientKey.privateKey } });
      await expect(prepareDeployment(ctx, verified('b'.repeat(64)))).rejects.toThrow(
        /^could not fetch release asset web\.tgz of v1\.4\.2: this repository has no release with tag v1\.4\.2/,
      );
    } finally {
      await gh.close();
    }
  });
});
