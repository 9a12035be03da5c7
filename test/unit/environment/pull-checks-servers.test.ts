// The environment checks in pull mode on real sshd servers: a download tool present, and the
// artifact URL reachable from the server (one byte asked for, nothing downloaded); failures say
// how to fix them, and the signed query of a link never shows.
import { chmod, mkdtemp, readdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecksConfig } from '../../../src/config/types.js';
import { checkEnvironment } from '../../../src/environment/check-environment.js';
import type { PullCheck } from '../../../src/environment/pull-checks.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { startHttpsFiles, type HttpsFiles } from '../../support/https-files.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import { testTls } from '../../support/test-tls.js';

async function pathWithout(...tools: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-path-'));
  await chmod(dir, 0o755);
  for (const from of ['/usr/sbin', '/usr/bin']) {
    for (const name of await readdir(from)) {
      if (!tools.includes(name))
        await symlink(path.join(from, name), path.join(dir, name)).catch(() => undefined);
    }
  }
  return dir;
}

const NONE: ChecksConfig = { binaries: [], ports_free: [], commands: [] };
let env: SshServers;
let files: HttpsFiles;

beforeAll(async () => {
  const tls = await testTls();
  const [noCurl, noTools] = await Promise.all([pathWithout('curl'), pathWithout('curl', 'wget')]);
  const paths = [{}, { PATH: noCurl }, { PATH: noTools }];
  env = await startSshServers(3, {
    namePrefix: 'pcheck',
    setEnv: (i) => ({ ...tls.clientEnv, ...paths[i] }),
  });
  files = await startHttpsFiles({ '/web.tar.gz': Buffer.alloc(4 << 20, 7) });
});
afterAll(async () => {
  await files?.close();
  await env?.stop();
});

/** The pull-mode rows of the environment step's checks on one server (no provisioning). */
async function check(server: TestServer, pull: PullCheck) {
  const connector = createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] });
  const [result] = await checkEnvironment({
    servers: [server.serverConfig()],
    provision: { directories: [], files: [], commands: [] },
    checks: NONE,
    parallel: 1,
    connector,
    log: { info: () => undefined, group: () => undefined },
    pull,
  });
  return result!.checks.filter((r) => r.name.includes('transfer: pull'));
}

const source = (p: string) => ({ url: `${files.url}${p}`, show: `${files.url}${p.split('?')[0]}` });

describe('pull-mode checks', () => {
  it('pass with curl and with wget; the probe asks for one byte and gets no body beyond it', async () => {
    const before = files.calls.length;
    for (const [server, tool] of [
      [env.servers[0]!, 'curl'],
      [env.servers[1]!, 'wget'],
    ] as const) {
      expect(await check(server, { source: source('/web.tar.gz') })).toEqual([
        {
          name: 'download tool (transfer: pull)',
          expected: 'curl or wget on PATH',
          actual: tool,
          passed: true,
        },
        {
          name: 'artifact URL reachable (transfer: pull)',
          expected: `${files.url}/web.tar.gz answers over HTTPS`,
          actual: 'reachable',
          passed: true,
        },
      ]);
    }
    expect(files.calls.slice(before)).toEqual([
      { path: '/web.tar.gz', range: 'bytes=0-0', status: 206, bytesSent: 1 },
      { path: '/web.tar.gz', range: 'bytes=0-0', status: 206, bytesSent: 1 },
    ]);
  });

  it('fail clearly when neither curl nor wget is on the PATH', async () => {
    expect(await check(env.servers[2]!, { source: source('/web.tar.gz') })).toEqual([
      {
        name: 'download tool (transfer: pull)',
        expected: 'curl or wget on PATH',
        actual:
          'neither curl nor wget found: install curl (or wget) on the server, or set `deploy.transfer: push`',
        passed: false,
      },
      {
        name: 'artifact URL reachable (transfer: pull)',
        expected: `${files.url}/web.tar.gz answers over HTTPS`,
        actual: 'not checked: no download tool',
        passed: false,
      },
    ]);
  });

  it('fail clearly when the URL does not answer (404, nothing listening), without the signed query', async () => {
    const [, missing] = await check(env.servers[0]!, {
      source: source('/missing.tar.gz?X-Amz-Signature=secret'),
    });
    expect(missing).toEqual({
      name: 'artifact URL reachable (transfer: pull)',
      expected: `${files.url}/missing.tar.gz answers over HTTPS`,
      actual:
        'not reachable from the server (curl exit 22: curl: (22) The requested URL returned error: 404): check its DNS, firewall or proxy for this host, or set `deploy.transfer: push`',
      passed: false,
    });
    const closed = {
      url: 'https://127.0.0.1:1/web.tar.gz',
      show: 'https://127.0.0.1:1/web.tar.gz',
    };
    const [, refused] = await check(env.servers[0]!, { source: closed });
    expect(refused).toMatchObject({
      passed: false,
      actual: expect.stringMatching(
        /^not reachable from the server \(curl exit 7: curl: \(7\) Failed to connect to 127\.0\.0\.1 port 1/,
      ),
    });
    const [, wget404] = await check(env.servers[1]!, {
      source: source('/missing.tar.gz?sig=secret'),
    });
    expect(wget404).toMatchObject({
      passed: false,
      actual: expect.stringMatching(/^not reachable from the server \(wget exit 8/),
    });
    expect(JSON.stringify([missing, wget404])).not.toContain('secret');
  });

  it('fail when no link could be had (e.g. the release asset is missing)', async () => {
    const [tool, link] = await check(env.servers[0]!, {
      error: 'could not fetch release asset web.tgz of v9: no release',
    });
    expect(tool).toMatchObject({ actual: 'curl', passed: true });
    expect(link).toEqual({
      name: 'artifact URL reachable (transfer: pull)',
      expected: 'a download link',
      actual: 'no link to check: could not fetch release asset web.tgz of v9: no release',
      passed: false,
    });
  });
});
