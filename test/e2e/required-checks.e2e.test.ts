// require_checks end to end: the built action, the stand-in, a real sshd server. Red or running
// CI stops the request before any server is touched; green CI and /recheck give a prompt that
// says what it was built from; a release's tag is read for its commit; a check that turns red
// after the prompt makes /confirm refuse with nothing deployed. Four action runs in all.
import { dump, load } from 'js-yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { stickyOf } from './scenario.js';
import {
  flowConfig,
  lastReply,
  openFlow,
  releases,
  repoWithConfig,
  resetHome,
  sessions,
  useSshServers,
  type TestServer,
} from '../security/support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** The flow's config with require_checks on staging. */
async function repoRequiring(servers: TestServer[], rule: Record<string, unknown>) {
  const config = load(flowConfig(servers)) as {
    environments: { staging: Record<string, unknown> };
  };
  config.environments.staging.require_checks = rule;
  return repoWithConfig(dump(config, { lineWidth: 200 }));
}

describe('require_checks (e2e, real sshd)', { timeout: 120_000 }, () => {
  it('red CI: checks-failed, no server touched; green + /recheck: the prompt says built from; red again: /confirm refused', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const gh = await repoRequiring(servers, { checks: ['build', 'test'], on: 'artifact' });
    const flow = await openFlow(servers, clientKey.privateKey, { gh });
    const short = flow.headSha.slice(0, 7);
    gh.addCheckRun(flow.headSha, { name: 'build', conclusion: 'success' });
    gh.addCheckRun(flow.headSha, { name: 'test', status: 'in_progress' });

    const red = await flow.dispatch();
    expect(red.outputs.phase).toBe('checks-failed');
    const sticky = stickyOf(gh, flow.number);
    expect(sticky).toContain('Deploy request: required checks have not passed');
    expect(sticky).toContain('| `build` | success | `completed: success` | ✅ |');
    expect(sticky).toContain('| `test` | pending | `in_progress` | ⏳ |');
    expect(sticky).toContain('comment `/recheck`');
    expect(gh.combinedStatus(flow.headSha).statuses).toContainEqual(
      expect.objectContaining({ context: 'deploy-request/environment', state: 'failure' }),
    );
    expect(sessions(server)).toBe(0);
    expect(gh.deployments()).toEqual([]);

    gh.addCheckRun(flow.headSha, { name: 'test', conclusion: 'success' });
    const green = await flow.say('dev', '/recheck');
    expect(green.outputs.phase).toBe('awaiting-confirmation');
    const prompt = gh.comments(flow.number).find((c) => c.body.includes('Confirm this deployment'));
    expect(prompt?.body).toContain(
      `| Checks | built from \`${short}\` — build ✓ test ✓ (the head commit, which artifact.path is built from) |`,
    );
    expect(stickyOf(gh, flow.number)).toContain('#### Required checks: 2 of 2 passed');
    const digest = green.outputs.digest!;

    // A re-run of test goes red after the prompt: the digest no longer matches, and the reply says why.
    gh.addCheckRun(flow.headSha, { name: 'test', conclusion: 'failure' });
    const before = sessions(server);
    const confirm = await flow.say('dev', `/confirm ${digest}`);
    expect(confirm.outputs.phase).toBe('refused');
    expect(lastReply(gh, flow.number)).toContain(
      `the checks on ${short} changed since the prompt (test was success, is now failure). Nothing was deployed.`,
    );
    expect(sessions(server)).toBe(before);
    expect(releases(server)).toEqual([]);
  });

  it("a release asset: the checks are those of the tag's commit", async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const gh = await repoRequiring(servers, { checks: ['build', 'test'], on: 'artifact' });
    const tagged = gh.commitOn('main', { 'src/app.js': 'release 1.4.2\n' });
    gh.setTag('v1.4.2', tagged);
    gh.createRelease('v1.4.2', { assets: { 'web.tgz': Buffer.from('not fetched here') } });
    gh.addCheckRun(tagged, { name: 'build', conclusion: 'success' });
    gh.setStatus(tagged, { context: 'test', state: 'success' }, 'ci-bot');
    const request =
      'version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n' +
      `  release_asset: { tag: v1.4.2, name: web.tgz }\n  sha256: ${'a'.repeat(64)}\nreason: Roll out\n`;
    const flow = await openFlow(servers, clientKey.privateKey, {
      gh,
      requestPath: 'deploy-requests/web-asset.yml',
      extraFiles: { 'deploy-requests/web-asset.yml': request },
    });
    // The head has red CI; the release's commit has green: only the latter counts.
    gh.addCheckRun(flow.headSha, { name: 'test', conclusion: 'failure' });
    const run = await flow.dispatch();
    expect(run.outputs.phase, run.stdout).toBe('awaiting-confirmation');
    const prompt = gh.comments(flow.number).find((c) => c.body.includes('Confirm this deployment'));
    expect(prompt?.body).toContain(
      `| Checks | built from \`${tagged.slice(0, 7)}\` — build ✓ test ✓ (tag v1.4.2) |`,
    );
    expect(sessions(server)).toBeGreaterThan(0);
  });
});
