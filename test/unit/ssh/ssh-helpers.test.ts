// SSH helpers: connection failures in words, host key lines, private key checks, the semaphore,
// quoting and bounded parallel runs.
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { connectFailure } from '../../../src/ssh/connect-errors.js';
import { blobType, hostKeyAlgorithms, parseHostKeyLine } from '../../../src/ssh/host-key.js';
import { parsePrivateKey } from '../../../src/ssh/private-key.js';
import { runOnServers } from '../../../src/ssh/run-on-servers.js';
import { Semaphore } from '../../../src/ssh/semaphore.js';
import { shellQuote } from '../../../src/ssh/shell-quote.js';

const server = {
  name: 'web-1',
  host: 'web-1.example',
  port: 2222,
  user: 'deploy',
  host_key: 'k',
} as ServerConfig;
const context = { timeoutMs: 12_500, keyFingerprint: 'SHA256:abc' };

describe('connectFailure', () => {
  it.each([
    [
      { level: 'client-authentication' },
      'auth',
      'web-1 (web-1.example:2222): the server refused key authentication for user deploy (key SHA256:abc); add the public key to ~deploy/.ssh/authorized_keys',
    ],
    [
      { level: 'client-timeout' },
      'timeout',
      'web-1 (web-1.example:2222): no SSH answer within 12.5 s; check host/port and firewall',
    ],
    [
      { code: 'ETIMEDOUT' },
      'timeout',
      'web-1 (web-1.example:2222): no SSH answer within 12.5 s; check host/port and firewall',
    ],
    [
      { code: 'ECONNREFUSED' },
      'connect',
      'web-1 (web-1.example:2222): connection refused; is sshd running and listening on port 2222?',
    ],
    [
      { code: 'ENOTFOUND' },
      'connect',
      'web-1 (web-1.example:2222): the host name web-1.example does not resolve',
    ],
    [
      { code: 'EAI_AGAIN' },
      'connect',
      'web-1 (web-1.example:2222): the host name web-1.example does not resolve',
    ],
    [
      { code: 'EHOSTUNREACH' },
      'connect',
      'web-1 (web-1.example:2222): host unreachable; check the address and the network route',
    ],
    [
      { code: 'ENETUNREACH' },
      'connect',
      'web-1 (web-1.example:2222): host unreachable; check the address and the network route',
    ],
    [
      { message: 'Handshake failed' },
      'connect',
      'web-1 (web-1.example:2222): SSH connection failed: Handshake failed',
    ],
    ['a string', 'connect', 'web-1 (web-1.example:2222): SSH connection failed: a string'],
    [null, 'connect', 'web-1 (web-1.example:2222): SSH connection failed: null'],
  ])('%j → %s', (raw, kind, message) => {
    const error = connectFailure(server, raw, context);
    expect(error).toMatchObject({ server: 'web-1', kind, message });
  });

  it('names the bastion when there is one', () => {
    expect(
      connectFailure({ ...server, via: 'bastion' }, { code: 'ECONNREFUSED' }, context).message,
    ).toMatch(/^web-1 \(web-1\.example:2222 via bastion\): /);
  });
});

describe('host keys', () => {
  const ed = ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1]!;

  it('blobs too short or with a silly type length have no type', () => {
    expect(blobType(Buffer.from([0, 0]))).toBeUndefined();
    expect(blobType(Buffer.from([0, 0, 0, 0, 1]))).toBeUndefined();
    expect(blobType(Buffer.from([0, 0, 0, 90, 1]))).toBeUndefined();
    expect(blobType(Buffer.from([0, 0, 0, 9, 1]))).toBeUndefined();
  });

  it('unknown key types get the default algorithm list', () => {
    expect(hostKeyAlgorithms('ssh-dss')).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithms('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  it('lines: empty, not a key, bad base64, a blob of another type, host name in front', () => {
    expect(parseHostKeyLine(undefined)).toEqual({ error: 'empty' });
    expect(parseHostKeyLine('a b ssh-ed25519 AAAA')).toMatchObject({
      error: expect.stringMatching(/^not a public key line/),
    });
    expect(parseHostKeyLine('ssh-ed25519 !!!')).toEqual({
      error: 'ssh-ed25519 key without valid base64 data',
    });
    expect(parseHostKeyLine(`ssh-rsa ${ed}`)).toEqual({
      error: 'ssh-rsa key whose data is not a ssh-rsa key',
    });
    expect(parseHostKeyLine(`host.example ssh-ed25519 ${ed} comment`)).toMatchObject({
      type: 'ssh-ed25519',
    });
  });
});

describe('parsePrivateKey', () => {
  const { private: key } = ssh2.utils.generateKeyPairSync('ed25519');

  it('an OpenSSH key pasted with blank lines, CRLF and indentation is accepted', () => {
    const messy = `\uFEFF\r\n\r\n${key
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\r\n')}\r\n\r\n`;
    expect(parsePrivateKey(messy)).toMatchObject({ ok: true, type: 'ssh-ed25519' });
  });

  it('an OpenSSH block that holds no key at all is not a private key', () => {
    const empty =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAAAAAACAAAAAEAAAAB\n-----END OPENSSH PRIVATE KEY-----';
    expect(parsePrivateKey(empty)).toEqual({
      ok: false,
      message:
        'not a private key; paste the private key, the block starting with -----BEGIN OPENSSH PRIVATE KEY-----',
    });
  });

  it.each([
    [undefined, 'the SSH private key is empty; set ssh-private-key from a secret'],
    [
      '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----',
      /^this is a public key \(PEM public key block\)/,
    ],
    [
      '---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----',
      /^this is a public key \(PEM public key block\)/,
    ],
    [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64 at all\n-----END OPENSSH PRIVATE KEY-----',
      /^the private key is damaged|not supported/,
    ],
    [
      '-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ\n-----END DSA PRIVATE KEY-----',
      /^the private key is damaged \(Malformed OpenSSH private key\)/,
    ],
    [
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n',
      /^this private key format is not supported \(Unsupported key format\); convert it with ssh-keygen/,
    ],
  ])('%j is refused with a reason', (text, message) => {
    const r = parsePrivateKey(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe('Semaphore', () => {
  it('a limit below 1 means 1; releasing twice frees one slot only', async () => {
    const s = new Semaphore(0);
    const first = await s.acquire();
    let second = false;
    const waiting = s.acquire().then((release) => {
      second = true;
      return release;
    });
    await Promise.resolve();
    expect(second).toBe(false);
    first();
    first();
    const release = await waiting;
    expect(second).toBe(true);
    release();
    const third = await s.acquire();
    third();
  });
});

describe('quoting and running on servers', () => {
  it('shellQuote refuses non-strings and NUL', () => {
    expect(() => shellQuote(5 as unknown as string)).toThrow(TypeError);
    expect(() => shellQuote('a\0b')).toThrow('shellQuote: value contains a NUL character');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('a parallelism that is not a number runs one at a time; throwing non-Errors become Errors', async () => {
    const groups: string[] = [];
    const servers = [server, { ...server, name: 'web-2' }];
    let running = 0;
    let most = 0;
    const outcomes = await runOnServers(
      servers,
      Number.NaN,
      async (s) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (s.name === 'web-2') throw 'plain failure';
        return s.name;
      },
      { group: (name) => groups.push(name), info: () => undefined },
    );
    expect(most).toBe(1);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(!outcomes[1]!.ok && outcomes[1]!.error.message).toBe('plain failure');
    expect(groups[1]).toMatch(/^web-2: failed in \d+ ms$/);
  });
});
