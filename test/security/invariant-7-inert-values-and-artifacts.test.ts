// SPEC §4 invariant 7: request values reach remote shells only as quoted data — shell
// metacharacters, newlines, quotes, $(…), backticks and `"; rm -rf / #` are inert and arrive
// byte for byte in the commands' environment; NUL is refused at validation. Artifacts: a SHA-256
// mismatch, a path leaving the workspace, or an archive whose symlinks point outside the release
// switch nothing; `path: ../../etc/passwd` is refused.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ARTIFACT,
  buildArtifact,
  currentOf,
  expectNoStackTrace,
  gate,
  lastReply,
  lockRefs,
  OLD_RELEASE,
  openFlow,
  promptedFlow,
  releases,
  resetHome,
  seedRelease,
  sessions,
  stickyOf,
  useSshServers,
  REQUEST_PATH,
  type Flow,
  type TestServer,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** Values an attacker would put in a request; each must arrive as exactly these bytes. */
const VALUES: Record<string, string> = {
  SPEC: '"; rm -rf / #',
  CANARY: `"; rm -rf "$HOME/canary" #'; rm -rf "$HOME/canary"; echo '`,
  SUBST: '$(touch "$HOME/pwned-subst")',
  BACKTICK: '`touch "$HOME/pwned-backtick"`',
  QUOTES: `it's "quoted" \\ back\\\\slash 'single' $HOME \${HOME} %s %n $1 $@`,
  NEWLINES: 'line1\nline2; touch "$HOME/pwned-newline"\n\ttabbed\r\n',
  GLOB: '* ?[a] ~ !! ${IFS} & | > "$HOME/pwned-redirect" ; ü €',
};
const NAMES = Object.keys(VALUES);

/** Every value as a YAML double-quoted scalar (JSON strings are valid YAML). */
const variablesYaml = `variables:\n${NAMES.map((n) => `  ${n}: ${JSON.stringify(VALUES[n])}`).join('\n')}\n`;
const writeEach = (prefix: string) =>
  NAMES.map((n) => `printf '%s' "$${n}" > "$HOME/${prefix}-${n}"`).join('; ');

function expectNothingSwitched(server: TestServer, p: Flow, sessionsBefore: number): void {
  expect(currentOf(server)).toBe(`releases/${OLD_RELEASE}`);
  expect(releases(server)).toEqual([OLD_RELEASE]);
  expect(sessions(server)).toBe(sessionsBefore);
  expect(lockRefs(p.gh)).toEqual([]);
}

describe('invariant 7: request values are inert data', () => {
  it('metacharacters, quotes, $(…), backticks, newlines and `"; rm -rf / #` arrive byte for byte and run nothing', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    mkdirSync(join(server.home, 'canary'));
    const p = await promptedFlow(servers, clientKey.privateKey, {
      variables: variablesYaml,
      deploy: {
        request_variables: NAMES,
        before_activate: [writeEach('before')],
        activate: writeEach('activate'),
      },
    });
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deployed');
    for (const name of NAMES) {
      for (const prefix of ['before', 'activate']) {
        const arrived = readFileSync(join(server.home, `${prefix}-${name}`), 'utf8');
        expect(arrived, `${prefix} ${name}`).toBe(VALUES[name]);
      }
    }
    for (const marker of ['pwned-subst', 'pwned-backtick', 'pwned-newline', 'pwned-redirect']) {
      expect(existsSync(join(server.home, marker)), marker).toBe(false);
    }
    expect(existsSync(join(server.home, 'canary'))).toBe(true);
    // The confirmation comment shows the values without letting them break out of the table.
    const prompt = p.gh.comments(p.number).find((c) => c.body.includes('Confirm this'))!;
    const variablesRow = prompt.body.split('\n').find((l) => l.startsWith('| Variables |'));
    expect(variablesRow).toMatch(/\| Variables \| .*SPEC=.*GLOB=.* \|$/);
  });

  it('a NUL in a value is refused at validation, on its line; the trusted run touches no server', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      variables: 'variables:\n  FEATURE_CHECKOUT: "on\\0off"\n',
    });
    const result = await gate(p.gh, p.number);
    expect(result.outputs.phase).toBe('invalid');
    expectNoStackTrace(result);
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        file: REQUEST_PATH,
        line: 10,
        message: expect.stringMatching(/NUL/),
      }),
    );
    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(sessions(servers[0]!)).toBe(0);
  });

  it('`path: ../../etc/passwd` is refused on its line; the trusted run touches no server', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey);
    p.push({
      [REQUEST_PATH]:
        'version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  path: ../../etc/passwd\nreason: x\n',
    });
    p.approve();
    const result = await gate(p.gh, p.number, 'synchronize');
    expect(result.outputs.phase).toBe('invalid');
    expect(stickyOf(p.gh, p.number)).toMatch(/web-1\.4\.2\.yml:6:9.*\.\./);
    const trusted = await p.dispatch();
    expect(trusted.outputs.phase).toBe('refused');
    expect(sessions(servers[0]!)).toBe(0);
  });
});

describe('invariant 7: artifacts are verified before use', () => {
  it('a rebuilt artifact (SHA-256 mismatch) or one reached through a symlink out of the workspace switches nothing', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const p = await promptedFlow(servers, clientKey.privateKey);
    const artifact = join(p.workspace, ARTIFACT);
    const original = readFileSync(artifact);

    writeFileSync(artifact, Buffer.concat([original, Buffer.from('tampered')]));
    let before = sessions(server);
    const mismatch = await p.say('dev', `/confirm ${p.digest}`);
    expect(mismatch.outputs.phase).toBe('refused');
    expectNoStackTrace(mismatch);
    expect(lastReply(p.gh, p.number)).toMatch(
      new RegExp(
        `nothing was deployed and the prompt stays open: artifact.path ${ARTIFACT} has SHA-256 [0-9a-f]{64}, but the request says`,
      ),
    );
    // Refused before any server was touched: the prompt stays open.
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expectNothingSwitched(server, p, before);

    // The same bytes, but the workspace file is a symlink to a file outside the workspace.
    const outside = join(mkdtempSync(join(tmpdir(), 'dr-outside-')), 'web.tar.gz');
    writeFileSync(outside, original);
    rmSync(artifact);
    symlinkSync(outside, artifact);
    expect((await p.say('dev', '/recheck')).outputs.phase).toBe('awaiting-confirmation');
    before = sessions(server);
    const escaped = await p.say('dev', `/confirm ${p.digest}`);
    expect(escaped.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(
      /artifact.path build\/web.tar.gz resolves outside the workspace/,
    );
    expectNothingSwitched(server, p, before);

    // The control: the genuine artifact deploys.
    rmSync(artifact);
    copyFileSync(outside, artifact);
    expect((await p.say('dev', '/recheck')).outputs.phase).toBe('awaiting-confirmation');
    expect((await p.say('dev', `/confirm ${p.digest}`)).outputs.phase).toBe('deployed');
  });

  it('an archive with a symlink out of the release is refused on the runner; a link chain that escapes is refused on the server', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const direct = buildArtifact((src) => {
      symlinkSync('/etc/passwd', join(src, 'passwd'));
      symlinkSync('../../..', join(src, 'up'));
    });
    const p = await promptedFlow(servers, clientKey.privateKey, { built: direct });
    let before = sessions(server);
    const refused = await p.say('dev', `/confirm ${p.digest}`);
    expect(refused.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(
      /nothing was deployed and the prompt stays open: the artifact is refused: it would write outside the release directory: .*"passwd" is a symlink to "\/etc\/passwd"/,
    );
    expectNothingSwitched(server, p, before);

    // a/b -> .. and c -> a/b/../.. look inside when read as text, but c resolves two levels up.
    const chain = buildArtifact((src) => {
      mkdirSync(join(src, 'a'));
      symlinkSync('..', join(src, 'a/b'));
      symlinkSync('a/b/../..', join(src, 'c'));
    });
    const q = await promptedFlow(servers, clientKey.privateKey, {
      gh: p.gh,
      built: chain,
      author: 'erin',
      requestPath: 'deploy-requests/chain.yml',
    });
    before = sessions(server);
    const onServer = await q.say('erin', `/confirm ${q.digest}`);
    expect(onServer.outputs.phase).toBe('deploy-failed');
    expect(onServer.stdout).toMatch(
      /the artifact has symlinks pointing outside the release, refused: c\b/,
    );
    expect(q.gh.deploymentState(q.deploymentId)).toBe('failure');
    expect(currentOf(server)).toBe(`releases/${OLD_RELEASE}`);
    expect(releases(server)).toEqual([OLD_RELEASE]); // no release, no .partial left
    expect(sessions(server)).toBeGreaterThan(before);
    expect(lockRefs(q.gh)).toEqual([]);
  });
});
