// SPEC §4 invariant 12: every artifact, whatever its source, is bound to its `sha256` in the
// request and in the digest; bytes that differ never deploy. End to end (dist/index.js, the
// GitHub stand-in with its releases and asset host on another origin, real sshd):
// - a release asset replaced after approval (GitHub: delete + upload under the same name) is
//   refused on the runner, naming the SHA-256 mismatch; no server is switched;
// - a request without `sha256` for `release_asset` or `path` is invalid on the artifact's line;
// - the token never reaches the asset host GitHub redirects downloads to;
// - an asset over the size limit is refused from its listed size, before a byte is requested.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ARTIFACT,
  buildWorkspace,
  currentOf,
  expectCompleteCurrent,
  expectNoStackTrace,
  gate,
  lastReply,
  lockRefs,
  OLD_RELEASE,
  openFlow,
  releases,
  REQUEST_PATH,
  resetHome,
  seedRelease,
  sessions,
  useSshServers,
  type Flow,
  type GitHubStandIn,
  type TestServer,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const TAG = 'v1.4.2';
const ASSET = 'web-1.4.2.tar.gz';

function assetRequest(sha256: string | undefined, name = ASSET): string {
  const hash = sha256 === undefined ? '' : `\n  sha256: ${sha256}`;
  return `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  release_asset: { tag: ${TAG}, name: ${name} }${hash}\nreason: Roll out\n`;
}

/** An approved PR whose request is `text`, prompted by the hand-over run. */
async function promptedWith(
  servers: TestServer[],
  key: string,
  text: string,
): Promise<Flow & { digest: string; deploymentId: number }> {
  const flow = await openFlow(servers, key, { approve: false });
  flow.push({ [REQUEST_PATH]: text });
  flow.approve();
  const prompt = await flow.dispatch();
  expect(prompt.outputs.phase, prompt.stdout).toBe('awaiting-confirmation');
  return {
    ...flow,
    digest: prompt.outputs.digest!,
    deploymentId: Number(prompt.outputs['deployment-id']),
  };
}

function expectNothingSwitched(server: TestServer, gh: GitHubStandIn, sessionsBefore: number) {
  expect(currentOf(server)).toBe(`releases/${OLD_RELEASE}`);
  expect(releases(server)).toEqual([OLD_RELEASE]);
  expect(sessions(server)).toBe(sessionsBefore);
  expect(lockRefs(gh)).toEqual([]);
}

/** Every request the asset host got came without a token; returns them. */
async function expectNoTokenAtAssetHost(gh: GitHubStandIn) {
  const calls = await gh.assetHostCalls();
  expect(calls.map((c) => c.authorization)).toEqual(calls.map(() => null));
  return calls;
}

describe('invariant 12: every artifact is bound to its bytes', () => {
  it('a release asset replaced after approval is refused naming the sha256 mismatch; the approved bytes deploy, without the token reaching the asset host', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const approved = buildWorkspace('hello 1.4.2');
    const bytes = readFileSync(join(approved.workspace, ARTIFACT));
    const p = await promptedWith(servers, clientKey.privateKey, assetRequest(approved.sha256));
    p.gh.createRelease(TAG, { assets: { [ASSET]: bytes } });
    // The plan the requester confirms shows the sha256 it binds.
    const prompt = p.gh.comments(p.number).find((c) => c.body.includes('Confirm this'))!;
    expect(prompt.body).toContain(`\`${TAG}/${ASSET}\` sha256 \`${approved.sha256}\``);

    // After approval, the asset is replaced by other bytes (a valid archive, same name).
    const other = buildWorkspace('hello from whoever replaced the asset');
    p.gh.replaceAsset(TAG, ASSET, readFileSync(join(other.workspace, ARTIFACT)));
    let before = sessions(server);
    const replaced = await p.say('dev', `/confirm ${p.digest}`);
    expect(replaced.outputs.phase).toBe('refused');
    expectNoStackTrace(replaced);
    expect(lastReply(p.gh, p.number)).toContain(
      `nothing was deployed and the prompt stays open: release asset ${ASSET} of ${TAG} has SHA-256 ${other.sha256}, but the request says ${approved.sha256}`,
    );
    // Refused before any server was touched: the prompt stays open (nothing burnt).
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expectNothingSwitched(server, p.gh, before);
    // The API got the token and redirected; the asset host served the bytes without it.
    expect(p.gh.calls({ path: /\/releases\/assets\// }).map((c) => [c.status, c.token])).toEqual([
      [302, replaced.env['INPUT_GITHUB-TOKEN']],
    ]);
    expect(await expectNoTokenAtAssetHost(p.gh)).toMatchObject([{ status: 200 }]);

    // The control: with the approved bytes back, the same digest deploys them.
    p.gh.replaceAsset(TAG, ASSET, bytes);
    expect((await p.say('dev', '/recheck')).outputs.phase).toBe('awaiting-confirmation');
    before = sessions(server);
    const deployed = await p.say('dev', `/confirm ${p.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    const release = expectCompleteCurrent(server);
    expect(readFileSync(join(server.home, 'app/releases', release, 'index.html'), 'utf8')).toBe(
      'hello 1.4.2',
    );
    expect(sessions(server)).toBeGreaterThan(before);
    const calls = await expectNoTokenAtAssetHost(p.gh);
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    // Nothing a person or GitHub can read carries the token either.
    const tokens = [...Object.values(p.gh.tokens), replaced.env['INPUT_GITHUB-TOKEN']!];
    for (const c of p.gh.comments(p.number))
      for (const t of tokens) expect(c.body).not.toContain(t);
  });

  it('a request without sha256 for release_asset or path is invalid on the artifact line; the trusted run touches no server', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    const p = await openFlow(servers, clientKey.privateKey, { approve: false });
    const withoutHash = {
      release_asset: assetRequest(undefined),
      path: `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  path: ${ARTIFACT}\nreason: Roll out\n`,
    };
    for (const [kind, text] of Object.entries(withoutHash)) {
      p.push({ [REQUEST_PATH]: text });
      p.approve();
      const result = await gate(p.gh, p.number, 'synchronize');
      expect(result.outputs.phase, kind).toBe('invalid');
      expectNoStackTrace(result);
      expect(result.annotations, kind).toContainEqual(
        expect.objectContaining({
          file: REQUEST_PATH,
          line: 5,
          message: expect.stringContaining(
            '`artifact.sha256`: required field is missing; add e.g. `sha256: ',
          ),
        }),
      );
      const trusted = await p.dispatch();
      expect(trusted.outputs.phase, kind).toBe('refused');
      expect(sessions(server), kind).toBe(0);
    }
    expect(await p.gh.assetHostCalls()).toEqual([]);
  });

  it('an asset over the size limit is refused from its listed size: no byte is requested, nothing is switched', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const p = await promptedWith(servers, clientKey.privateKey, assetRequest('a'.repeat(64)));
    // 3 GiB, generated as it is read: the stand-in never holds it either.
    p.gh.createRelease(TAG, { assets: { [ASSET]: { bytes: { size: 3 * 1024 ** 3 } } } });
    const before = sessions(server);
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('refused');
    expectNoStackTrace(result);
    expect(lastReply(p.gh, p.number)).toContain(
      `nothing was deployed and the prompt stays open: release asset ${ASSET} of ${TAG} is 3.0 GiB, more than the 2.0 GiB limit`,
    );
    expectNothingSwitched(server, p.gh, before);
    expect(p.gh.count({ path: /\/releases\/assets\// })).toBe(0);
    expect(await p.gh.assetHostCalls()).toEqual([]);
  });

  it('a missing release or asset is a clear refusal that says what to fix', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const p = await promptedWith(servers, clientKey.privateKey, assetRequest('a'.repeat(64)));
    let before = sessions(server);
    expect((await p.say('dev', `/confirm ${p.digest}`)).outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toContain(
      `could not fetch release asset ${ASSET} of ${TAG}: this repository has no release with tag ${TAG} (GitHub answered 404); publish the release, or fix \`artifact.release_asset.tag\``,
    );
    expectNothingSwitched(server, p.gh, before);

    p.gh.createRelease(TAG, { assets: { 'other.tar.gz': Buffer.from('x') } });
    expect((await p.say('dev', '/recheck')).outputs.phase).toBe('awaiting-confirmation');
    before = sessions(server);
    expect((await p.say('dev', `/confirm ${p.digest}`)).outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toContain(
      `release ${TAG} has no asset named ${ASSET}; its assets: other.tar.gz. Upload it, or fix \`artifact.release_asset.name\``,
    );
    expectNothingSwitched(server, p.gh, before);
  });
});
