// Pull mode (deploy.transfer: pull) on real sshd servers: each server downloads the artifact
// itself over HTTPS (curl, else wget) and verifies its sha256 before anything unpacks; the
// runner sends no artifact byte. Servers trust the test CA through sshd SetEnv; one has a PATH
// without curl (wget only), one without either.
import { createHash } from 'node:crypto';
import { readFile, readdir, mkdtemp, symlink, chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { pullLinkFor } from '../../../src/deploy/pull-source.js';
import { createClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/octokit-port.js';
import { rollout } from '../../../src/deploy/rollout.js';
import type { ServerDeployInput } from '../../../src/deploy/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ExecOptions, ServerSession } from '../../../src/ssh/types.js';
import { startGitHub, type GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startHttpsFiles, type HttpsFiles } from '../../support/https-files.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import { testTls } from '../../support/test-tls.js';
import {
  collectLog,
  deployConfig,
  deployInput,
  makeTarball,
  remote,
  type Artifact,
} from './support.js';

/** A PATH directory with every tool of /usr/bin and /usr/sbin except those named. */
async function pathWithout(...tools: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-path-'));
  await chmod(dir, 0o755);
  for (const from of ['/usr/sbin', '/usr/bin']) {
    for (const name of await readdir(from)) {
      if (tools.includes(name)) continue;
      await symlink(path.join(from, name), path.join(dir, name)).catch(() => undefined);
    }
  }
  return dir;
}

interface Sent {
  script: string;
  stdin: boolean;
}

/** A session that records every script sent and whether any data followed it on stdin. */
function recording(session: ServerSession, sent: Sent[]): ServerSession {
  return {
    ...session,
    server: session.server,
    exec: (script: string, options: ExecOptions = {}) => {
      sent.push({ script, stdin: options.stdin !== undefined });
      return session.exec(script, options);
    },
  };
}

let env: SshServers;
let files: HttpsFiles;
let gh: GitHubStandIn;
let artifact: Artifact;
let curlServers: TestServer[]; // pull-1, pull-2: curl
let wgetOnly: TestServer; // pull-3: wget, no curl
let neither: TestServer; // pull-4: no curl, no wget
let busyboxTar: TestServer; // pull-5: no gzip; tar is BusyBox's (it decompresses by itself)
let brokenOpenssl: TestServer; // pull-6: an openssl that cannot hash (a build without SHA-256)
const TOKEN = 'ghs_standin_write_token';

beforeAll(async () => {
  const tls = await testTls();
  const [noCurl, noTools, noGzip, noOpenssl] = await Promise.all([
    pathWithout('curl'),
    pathWithout('curl', 'wget'),
    pathWithout('gzip', 'tar'),
    pathWithout('openssl'),
  ]);
  await symlink('/usr/bin/busybox', path.join(noGzip, 'tar'));
  await writeFile(
    path.join(noOpenssl, 'openssl'),
    '#!/bin/sh\necho "no such digest" >&2\nexit 1\n',
    {
      mode: 0o755,
    },
  );
  const paths = [undefined, undefined, noCurl, noTools, noGzip, noOpenssl];
  env = await startSshServers(6, {
    namePrefix: 'pull',
    setEnv: (i) => ({ ...tls.clientEnv, ...(paths[i] ? { PATH: paths[i] } : {}) }),
  });
  [curlServers, wgetOnly, neither, busyboxTar, brokenOpenssl] = [
    env.servers.slice(0, 2),
    env.servers[2]!,
    env.servers[3]!,
    env.servers[4]!,
    env.servers[5]!,
  ];
  artifact = await makeTarball({ 'index.html': '<h1>pulled</h1>' });
  files = await startHttpsFiles({ '/web.tar.gz': await readFile(artifact.file) });
  gh = await startGitHub({ assetHostTls: tls });
});
afterAll(async () => {
  await files?.close();
  await gh?.close();
  await env?.stop();
});

const connector = () => createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] });

async function deployOn(server: TestServer, input: ServerDeployInput, sent: Sent[] = []) {
  const session = await connector().connect(server.serverConfig());
  try {
    return await deployToServer(recording(session, sent), input);
  } finally {
    await session.close();
  }
}

function pullInput(
  label: string,
  second: number,
  url: string,
  extra: Partial<ServerDeployInput> = {},
) {
  const deploy = deployConfig({ path: `pull-${label}`, transfer: 'pull' });
  return deployInput({ ...artifact, file: '/nonexistent/never-read' }, deploy, label, second, {
    size: 0,
    pull: { url, show: url.split('?')[0]! },
    ...extra,
  });
}

describe('pull mode', () => {
  it('deploys on 2 servers: each downloads and verifies the artifact, the runner sends no byte of it', async () => {
    const sent: Sent[] = [];
    const log = collectLog();
    const input = pullInput('ok', 1, `${files.url}/web.tar.gz`, { log });
    const before = files.calls.length;
    const result = await rollout({
      servers: curlServers.map((s) => s.serverConfig()),
      deploy: { ...input.deploy, parallel: 2, batch_size: 2 },
      connect: async (server: ServerConfig) => recording(await connector().connect(server), sent),
      deployOne: (session, serverLog, stream) => {
        expect(stream).toBeUndefined(); // no shared read of a file the runner does not have
        return deployToServer(session, { ...input, log: serverLog });
      },
      rollbackOne: () => Promise.reject(new Error('no rollback expected')),
      log: { info: () => undefined, group: (_name, lines) => lines.forEach((l) => log.info(l)) },
    });
    expect(result.ok, JSON.stringify(result.results)).toBe(true);
    for (const server of curlServers) {
      const files_ = remote(server.home, 'pull-ok');
      expect(await files_.current()).toBe(`releases/${input.releaseId}`);
      expect(await files_.read('current/index.html')).toBe('<h1>pulled</h1>');
      // Nothing left over: no download, no error file, no member list.
      expect(
        (await files_.entries()).filter((e) => e.startsWith('.deploy-request-upload')),
      ).toEqual([]);
    }
    const steps = result.results[0]!.steps.map((s) => s.name);
    expect(steps).toContain('download');
    expect(steps).not.toContain('upload');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((s) => s.stdin)).toEqual([]);
    const downloads = files.calls.slice(before);
    expect(downloads).toEqual([
      { path: '/web.tar.gz', range: null, status: 200, bytesSent: artifact.size },
      { path: '/web.tar.gz', range: null, status: 200, bytesSent: artifact.size },
    ]);
    // The URL enters the script once, single-quoted (invariant 7).
    expect(sent[0]!.script).toContain(`_dr_url='${files.url}/web.tar.gz'\n`);
  });

  it('logs the download with its tool and size', async () => {
    const log = collectLog();
    const result = await deployOn(
      curlServers[0]!,
      pullInput('log', 2, `${files.url}/web.tar.gz`, { log }),
    );
    expect(result.ok).toBe(true);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^download: the server fetched ${artifact.size} B from ${files.url}/web\\.tar\\.gz with curl in .*; SHA-256 verified on the server \\(openssl\\)$`,
        ),
      ),
    );
  });

  it('an openssl on PATH that cannot hash gives way to sha256sum (the tool is picked by name, not by a trial run)', async () => {
    const log = collectLog();
    const result = await deployOn(
      brokenOpenssl,
      pullInput('openssl', 3, `${files.url}/web.tar.gz`, { log }),
    );
    expect(result.ok, result.error).toBe(true);
    expect(log.lines).toContainEqual(
      expect.stringMatching(/; SHA-256 verified on the server \(sha256sum\)$/),
    );
    expect(await remote(brokenOpenssl.home, 'pull-openssl').read('current/index.html')).toBe(
      '<h1>pulled</h1>',
    );
  });

  it('bytes that differ from the sha256: nothing unpacks or switches, on any server', async () => {
    const other = await makeTarball({ 'index.html': 'not approved' });
    files.files.set('/other.tar.gz', await readFile(other.file));
    for (const [i, server] of curlServers.entries()) {
      const result = await deployOn(
        server,
        pullInput('mismatch', 3 + i, `${files.url}/other.tar.gz`),
      );
      expect(result).toMatchObject({ ok: false, switched: false });
      expect(result.error).toBe(
        `verify: SHA-256 of the ${other.size} bytes downloaded from ${files.url}/other.tar.gz is ${other.sha256}, expected ${artifact.sha256}: these are not the approved bytes; nothing was unpacked or switched`,
      );
      const files_ = remote(server.home, 'pull-mismatch');
      expect(await files_.current()).toBeUndefined();
      expect(await files_.releases()).toEqual([]);
      expect(await files_.entries()).toEqual(['releases', 'shared']); // lock released, download gone
    }
  });

  it('the approved bytes but not a .tar.gz: refused before anything unpacks, nothing left behind', async () => {
    const bytes = Buffer.from('not a tarball\n');
    files.files.set('/plain.txt', bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const result = await deployOn(
      curlServers[0]!,
      pullInput('plain', 13, `${files.url}/plain.txt`, { sha256 }),
    );
    expect(result).toMatchObject({ ok: false, switched: false });
    expect(result.error).toBe(
      `verify: the download from ${files.url}/plain.txt is not a .tar.gz (gzip cannot decompress it); nothing was unpacked or switched`,
    );
    expect(await remote(curlServers[0]!.home, 'pull-plain').entries()).toEqual([
      'releases',
      'shared',
    ]);
  });

  it('without gzip (a BusyBox tar decompresses by itself): the same checks and release', async () => {
    const result = await deployOn(busyboxTar, pullInput('busybox', 14, `${files.url}/web.tar.gz`));
    expect(result.ok, result.error).toBe(true);
    const files_ = remote(busyboxTar.home, 'pull-busybox');
    expect(await files_.read('current/index.html')).toBe('<h1>pulled</h1>');
    expect((await files_.entries()).filter((e) => e.startsWith('.deploy-request-upload'))).toEqual(
      [],
    );
  });

  it('a failed download (404) says which URL and the HTTP failure, and never shows a signed query', async () => {
    const result = await deployOn(
      curlServers[0]!,
      pullInput('missing', 5, `${files.url}/missing.tar.gz?X-Amz-Signature=secret123`),
    );
    expect(result).toMatchObject({ ok: false, switched: false, server: curlServers[0]!.name });
    expect(result.error).toBe(
      `download: could not download ${files.url}/missing.tar.gz with curl (exit 22): curl: (22) The requested URL returned error: 404 ; nothing was unpacked or switched`,
    );
    expect(result.error).not.toContain('secret123');
    expect(await remote(curlServers[0]!.home, 'pull-missing').entries()).toEqual([
      'releases',
      'shared',
    ]);
  });

  it('uses wget where curl is missing', async () => {
    const result = await deployOn(wgetOnly, pullInput('wget', 6, `${files.url}/web.tar.gz`));
    expect(result.ok, result.error).toBe(true);
    expect(await remote(wgetOnly.home, 'pull-wget').read('current/index.html')).toBe(
      '<h1>pulled</h1>',
    );
    const failed = await deployOn(
      wgetOnly,
      pullInput('wget404', 7, `${files.url}/gone.tar.gz?sig=secret`),
    );
    expect(failed.error).toMatch(
      /^download: could not download https:\/\/127\.0\.0\.1:\d+\/gone\.tar\.gz with wget \(exit 8\): .*404/,
    );
    expect(failed.error).not.toContain('secret');
  });

  it('a server with neither curl nor wget is refused before any download', async () => {
    const result = await deployOn(neither, pullInput('none', 8, `${files.url}/web.tar.gz`));
    expect(result).toMatchObject({ ok: false, switched: false });
    expect(result.error).toBe(
      "check: neither curl nor wget is on the server's PATH: install one of them, or set deploy.transfer: push; nothing was unpacked or switched",
    );
  });

  it('an archive with a member outside the release is refused on the server', async () => {
    const evil = await makeTarball({ 'a.txt': 'x' }, {}, [
      '--transform',
      's,^\\./a\\.txt$,../escape.txt,',
    ]);
    files.files.set('/evil.tar.gz', await readFile(evil.file));
    const result = await deployOn(
      curlServers[0]!,
      pullInput('evil', 9, `${files.url}/evil.tar.gz`, { sha256: evil.sha256 }),
    );
    expect(result).toMatchObject({ ok: false, switched: false });
    expect(result.error).toBe(
      'verify: the artifact is refused: it would write outside the release directory (absolute or .. paths): ../escape.txt ',
    );
    // The download, its .tar, the listing and curl's errors are all gone (the EXIT trap).
    expect(await remote(curlServers[0]!.home, 'pull-evil').entries()).toEqual([
      'releases',
      'shared',
    ]);
  });

  it('a release asset: the servers fetch the short-lived signed link, never with the token; an expired link fails clearly', async () => {
    const bytes = await readFile(artifact.file);
    gh.createRelease('v1', { assets: { 'web.tar.gz': bytes } });
    const port = createGitHubPort(
      createClient({ token: gh.tokens.write, baseUrl: gh.url, log: () => undefined }),
      { owner: gh.owner, repo: gh.repo },
    );
    const link = await pullLinkFor(
      { release_asset: { tag: 'v1', name: 'web.tar.gz' }, sha256: artifact.sha256 },
      {
        findAsset: (tag, name) => port.findReleaseAsset(tag, name),
      },
    );
    const sent: Sent[] = [];
    const source = await link.source();
    const result = await deployOn(
      curlServers[1]!,
      pullInput('asset', 10, source.url, { pull: source }),
      sent,
    );
    expect(result.ok, result.error).toBe(true);
    expect(await gh.assetHostCalls()).toMatchObject([
      { authorization: null, status: 200, bytesSent: bytes.length },
    ]);
    for (const s of sent) expect(s.script).not.toContain(TOKEN);
    gh.clock.advance(301_000);
    const expired = await deployOn(
      curlServers[1]!,
      pullInput('asset2', 11, source.url, { pull: source }),
    );
    expect(expired.error).toMatch(
      /^download: could not download release asset web\.tar\.gz of v1 \(https:\/\/127\.0\.0\.2:\d+\/github-production-release-asset\/\d+\/\d+\?…\) with curl \(exit 22\): curl: \(22\) The requested URL returned error: 403 ; nothing/,
    );
    expect(expired.error).not.toContain('X-Amz-Signature');
  });
});
