// Provisioning on a real sshd: creates, then changes nothing; one exec; failures explained.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionConfig } from '../../../src/config/types.js';
import { provisionServer } from '../../../src/environment/provision.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import { countExecs } from './counting.js';

let env: SshServers;
let server: TestServer;
let raw: ServerSession;
let execs = 0;
let session: ServerSession;

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'prov' });
  server = env.servers[0]!;
  raw = await createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] }).connect(
    server.serverConfig(),
  );
  session = countExecs(raw, () => execs++);
});
afterAll(async () => {
  await raw?.close();
  await env?.stop();
});

const hostileContent = `PORT=8080\nQUOTE='single' "double" \`tick\` $(touch pwned) \${HOME}\n\\ backslash\nDR_CONTENT\n🚀\n`;
const home = (p: string) => path.join(server.home, p);

function config(): ProvisionConfig {
  return {
    directories: [
      { path: 'srv/web/shared', mode: '0750' },
      { path: `${server.home}/abs/dir` },
      { path: "~/dir with 'quotes' $(touch pwned)", mode: '700' },
    ],
    files: [
      { path: 'srv/web/shared/app.env', content: hostileContent, mode: '0600' },
      { path: 'srv/web/empty', content: '' },
      { path: 'new-parent/nested/big.txt', content: 'x'.repeat(300_000) },
    ],
    commands: [
      {
        name: 'runtime',
        run: 'echo installing; touch runtime-installed',
        unless: 'test -e runtime-installed',
      },
    ],
  };
}

describe('provisionServer', () => {
  it('creates everything in one exec, then a second run reports everything unchanged', async () => {
    execs = 0;
    const first = await provisionServer(session, config());
    expect(execs).toBe(1);
    expect(first.map((i) => [i.kind, i.status])).toEqual([
      ['directory', 'created'],
      ['directory', 'created'],
      ['directory', 'created'],
      ['file', 'created'],
      ['file', 'created'],
      ['file', 'created'],
      ['command', 'changed'],
    ]);
    expect(first[6]!.detail).toBe('installing');
    expect(statSync(home('srv/web/shared')).mode & 0o7777).toBe(0o750);
    expect(statSync(home("dir with 'quotes' $(touch pwned)")).mode & 0o7777).toBe(0o700);
    expect(await readFile(home('srv/web/shared/app.env'), 'utf8')).toBe(hostileContent);
    expect(statSync(home('srv/web/shared/app.env')).mode & 0o7777).toBe(0o600);
    expect(statSync(home('srv/web/empty')).size).toBe(0);
    expect(statSync(home('new-parent/nested/big.txt')).size).toBe(300_000);
    expect(existsSync(home('pwned'))).toBe(false);

    const before = statSync(home('srv/web/shared/app.env'));
    execs = 0;
    const second = await provisionServer(session, config());
    expect(execs).toBe(1);
    expect(second.map((i) => i.status)).toEqual(Array(7).fill('unchanged'));
    const after = statSync(home('srv/web/shared/app.env'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
  });

  it('replaces a changed file atomically (new inode), keeps its mode, and fixes modes', async () => {
    const file = { path: 'atomic.txt', content: 'one\n', mode: '0640' };
    await provisionServer(session, { directories: [], files: [file], commands: [] });
    const before = statSync(home('atomic.txt'));
    const changed = await provisionServer(session, {
      directories: [{ path: 'srv/web/shared', mode: '0755' }],
      files: [{ path: 'atomic.txt', content: 'two\n' }],
      commands: [],
    });
    expect(changed.map((i) => [i.status, i.detail])).toEqual([
      ['changed', 'mode set to 755'],
      ['changed', undefined],
    ]);
    const after = statSync(home('atomic.txt'));
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o640);
    expect(await readFile(home('atomic.txt'), 'utf8')).toBe('two\n');
  });

  it('reports failures item by item and runs no command after a failure', async () => {
    await provisionServer(session, {
      directories: [],
      files: [{ path: 'a-file', content: 'x' }],
      commands: [],
    });
    const results = await provisionServer(session, {
      directories: [
        { path: 'a-file' }, // a file, not a directory
        { path: 'bad-mode', mode: 'rwx' },
        { path: 'owned', owner: 'root' }, // the login user may not chown
      ],
      files: [],
      commands: [{ name: 'after', run: 'touch should-not-exist' }],
    });
    expect(results).toEqual([
      {
        kind: 'directory',
        target: 'a-file',
        status: 'failed',
        detail: 'exists and is not a directory',
      },
      { kind: 'directory', target: 'bad-mode', status: 'failed', detail: 'invalid mode "rwx"' },
      {
        kind: 'directory',
        target: 'owned',
        status: 'failed',
        detail: expect.stringMatching(/^chown root \(owner is dr-test-\d+\): .*not permitted/),
      },
      {
        kind: 'command',
        target: 'after',
        status: 'failed',
        detail: 'not run: an earlier provisioning step failed',
      },
    ]);
    expect(existsSync(home('should-not-exist'))).toBe(false);
  });

  it('reports a failing command with its exit code and output, and skips the rest', async () => {
    const results = await provisionServer(session, {
      directories: [],
      files: [],
      commands: [
        { name: 'broken', run: 'echo "about to fail"; echo oops >&2; exit 3' },
        { name: 'after', run: 'touch should-not-exist' },
      ],
    });
    expect(results.map((r) => r.detail)).toEqual([
      'exit 3: about to fail\noops',
      'not run: an earlier provisioning step failed',
    ]);
    expect(existsSync(home('should-not-exist'))).toBe(false);
  });

  it('opens no channel when there is nothing to provision', async () => {
    execs = 0;
    expect(await provisionServer(session, { directories: [], files: [], commands: [] })).toEqual(
      [],
    );
    expect(execs).toBe(0);
  });
});
