// A passphrase-protected key is decrypted once per run, not once per connection: the action
// validates the input, builds the connector from it, and every connection gets the parsed key
// (ssh2 decrypts a key given as text on each connect). Real sshd, 3 servers.
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ssh2, { type ConnectConfig } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { parsePrivateKey } from '../../../src/ssh/private-key.js';
import { SshError } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';

const run = promisify(execFile);
const PASSPHRASE = 'correct horse 4Kq!';
let env: SshServers;
let dir: string;
const keys: Record<'openssh' | 'pem', string> = { openssh: '', pem: '' };

beforeAll(async () => {
  [env, dir] = await Promise.all([
    startSshServers(3, { namePrefix: 'enc' }),
    mkdtemp(path.join(os.tmpdir(), 'dr-enc-key-')),
  ]);
  // The servers' key pair, encrypted (-a 2: few bcrypt rounds keep the test fast).
  const openssh = path.join(dir, 'openssh');
  await writeFile(openssh, env.clientKey.privateKey, { mode: 0o600 });
  await run('ssh-keygen', ['-q', '-p', '-a', '2', '-P', '', '-N', PASSPHRASE, '-f', openssh]);
  // An encrypted PEM RSA key, authorised on every server.
  const pem = path.join(dir, 'pem');
  await run('ssh-keygen', [
    '-q',
    '-t',
    'rsa',
    '-b',
    '2048',
    '-m',
    'PEM',
    '-N',
    PASSPHRASE,
    '-f',
    pem,
  ]);
  const pub = await readFile(`${pem}.pub`, 'utf8');
  for (const server of env.servers) {
    await appendFile(path.join(path.dirname(server.hostKeyPath), 'authorized_keys'), pub);
  }
  keys.openssh = await readFile(openssh, 'utf8');
  keys.pem = await readFile(pem, 'utf8');
});
afterAll(async () => {
  await env?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** What the action does (environment-step.ts): validate the input, then build the connector. */
function actionConnector(key: string, passphrase: string) {
  const parsed = parsePrivateKey(key, passphrase);
  // The action stops at an invalid key (SetupError); given the text, the connector says the same.
  const connector = createSshConnector({
    privateKey: parsed.ok ? parsed : key,
    passphrase,
    servers: env.servers.map((s) => s.serverConfig()),
  });
  return { parsed, connector };
}

describe('an encrypted private key', () => {
  it.each([
    ['OpenSSH ed25519', 'openssh', 'ssh-ed25519'],
    ['PEM RSA', 'pem', 'ssh-rsa'],
  ] as const)(
    '%s: decrypted once for validation and 3 connections, which get the parsed key',
    async (_label, name, type) => {
      const decrypt = vi.spyOn(ssh2.utils, 'parseKey');
      const connect = vi.spyOn(ssh2.Client.prototype, 'connect');
      const { parsed, connector } = actionConnector(keys[name], PASSPHRASE);
      expect(parsed).toMatchObject({ ok: true, type });
      const sessions = await Promise.all(
        env.servers.map((s) => connector.connect(s.serverConfig())),
      );
      try {
        for (const [i, session] of sessions.entries()) {
          expect((await session.exec('id -un')).stdout).toBe(`${env.servers[i]!.user}\n`);
        }
      } finally {
        await Promise.all(sessions.map((s) => s.close()));
      }
      expect(decrypt).toHaveBeenCalledTimes(1);
      expect(decrypt).toHaveBeenCalledWith(expect.stringContaining('PRIVATE KEY-----'), PASSPHRASE);
      // No key text or passphrase reaches ssh2, which would decrypt it again: the parsed key does.
      expect(connect).toHaveBeenCalledTimes(3);
      for (const [config] of connect.mock.calls as Array<[ConnectConfig]>) {
        expect(config.privateKey).toBeUndefined();
        expect(config.passphrase).toBeUndefined();
        // Only the key: no `none` attempt first (a round trip per connection).
        expect(config.authHandler).toEqual([
          { type: 'publickey', username: config.username, key: expect.anything() },
        ]);
        const [publickey] = config.authHandler as unknown as [{ key: unknown }];
        expect(publickey.key).toBe(parsed.ok && parsed.parsed);
        expect(config.hostVerifier).toEqual(expect.any(Function));
      }
    },
  );

  it('with a wrong passphrase: one decrypt, the same clear error, no connection attempted', async () => {
    const decrypt = vi.spyOn(ssh2.utils, 'parseKey');
    const connect = vi.spyOn(ssh2.Client.prototype, 'connect');
    const wrong = 'Tr0ub4dor&3 wrong';
    const { parsed, connector } = actionConnector(keys.openssh, wrong);
    const problem =
      'the private key could not be decrypted: the passphrase (ssh-passphrase) is wrong';
    expect(parsed).toEqual({ ok: false, message: problem });
    const errors = await Promise.all(
      env.servers.map((s) => connector.connect(s.serverConfig()).catch((e: unknown) => e)),
    );
    for (const [i, error] of errors.entries()) {
      expect(error).toBeInstanceOf(SshError);
      expect(error).toMatchObject({
        server: env.servers[i]!.name,
        kind: 'key-format',
        message: `ssh-private-key: ${problem}`,
      });
      expect((error as Error).message).not.toContain(wrong);
    }
    // Once for the validation, once by the connector given the text: never per connection.
    expect(decrypt).toHaveBeenCalledTimes(2);
    expect(connect).not.toHaveBeenCalled();

    const right = actionConnector(keys.openssh, PASSPHRASE);
    expect(right.parsed).toMatchObject({ ok: true, type: 'ssh-ed25519' });
    expect(decrypt).toHaveBeenCalledTimes(3);
    const session = await right.connector.connect(env.servers[0]!.serverConfig());
    expect((await session.exec('echo ok')).stdout).toBe('ok\n');
    await session.close();
  });
});
