// The remote lock <path>/.deploy-request.lock against a real sshd: refused, re-entered, taken over.
import { statSync } from 'node:fs';
import { chown, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { releaseRemoteLock } from '../../../src/deploy/remote-lock.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import {
  collectLog,
  deployConfig,
  deployInput,
  digestFor,
  makeTarball,
  remote,
} from './support.js';

let env: SshServers;
let server: TestServer;
let session: ServerSession;
const deploy = deployConfig({ path: 'locked' });

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'lock' });
  server = env.servers[0]!;
  const connector = createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] });
  session = await connector.connect(server.serverConfig());
  // A first deployment creates the deploy path as the login user.
  const first = deployInput(await makeTarball({ v: '0' }), deploy, 'first', 1);
  expect((await deployToServer(session, first)).ok).toBe(true);
});
afterAll(async () => {
  await session?.close();
  await env?.stop();
});

async function holdLock(owner: string, ageMinutes: number): Promise<string> {
  const file = `${remote(server.home, deploy.path).base}/.deploy-request.lock`;
  const since = Math.floor(Date.now() / 1000) - ageMinutes * 60;
  await writeFile(file, `${owner} ${since}\n`);
  await chown(file, statSync(server.home).uid, -1); // as if the login user wrote it
  return file;
}

describe('remote lock', () => {
  it('refuses while another deployment holds a fresh lock, before any upload', async () => {
    const other = digestFor('someone else');
    await holdLock(other, 5);
    const files = remote(server.home, deploy.path);
    const before = await files.current();
    const input = deployInput(await makeTarball({ v: '1' }), deploy, 'blocked', 2);
    const result = await deployToServer(session, input);
    expect(result).toMatchObject({ ok: false, switched: false });
    expect(result.error).toMatch(
      new RegExp(
        `^lock: .*\\.deploy-request\\.lock is held by another deployment \\(digest ${other}, taken 5 min ago\\)`,
      ),
    );
    expect(result.steps.map((s) => s.name)).toEqual(['lock']);
    expect(await files.current()).toBe(before);
    expect((await files.entries()).sort()).toEqual([
      '.deploy-request.lock',
      'current',
      'releases',
      'shared',
    ]);
    expect(await files.read('.deploy-request.lock')).toMatch(new RegExp(`^${other} `));
    // Someone else's lock is never released in our name.
    expect(await releaseRemoteLock(session, deploy.path, input.digest)).toEqual({
      released: false,
      heldBy: other,
    });
  });

  it('takes over a stale lock and says so', async () => {
    const other = digestFor('crashed run');
    await holdLock(other, 180);
    const log = collectLog();
    const input = deployInput(await makeTarball({ v: '2' }), deploy, 'takeover', 3, { log });
    const result = await deployToServer(session, input);
    expect(result.error).toBeUndefined();
    expect(log.lines).toContain(
      `lock: took over a stale lock of deployment ${other} (180 min old)`,
    );
    expect(await remote(server.home, deploy.path).entries()).not.toContain('.deploy-request.lock');
  });

  it('re-enters a lock of the same digest (a re-run of the same deployment)', async () => {
    const input = deployInput(await makeTarball({ v: '3' }), deploy, 'rerun', 4);
    await holdLock(input.digest, 1);
    const log = collectLog();
    const result = await deployToServer(session, { ...input, log });
    expect(result.ok).toBe(true);
    expect(log.lines).toContain('lock: re-entered (held by this same deployment: a re-run)');
  });

  it('honours lockStaleMinutes, and releaseRemoteLock removes only our own lock', async () => {
    const other = digestFor('short stale');
    await holdLock(other, 10);
    const input = deployInput(await makeTarball({ v: '4' }), deploy, 'short', 5, {
      lockStaleMinutes: 5,
    });
    expect((await deployToServer(session, input)).ok).toBe(true);
    await holdLock(input.digest, 0);
    expect(await releaseRemoteLock(session, deploy.path, input.digest)).toEqual({ released: true });
    expect(await releaseRemoteLock(session, deploy.path, input.digest)).toEqual({
      released: false,
      heldBy: 'none',
    });
    expect(await releaseRemoteLock(session, 'never-deployed', input.digest)).toEqual({
      released: false,
      heldBy: 'none',
    });
  });
});
