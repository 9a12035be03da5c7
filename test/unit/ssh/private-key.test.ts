// ssh-private-key input: what users paste, and what they are told. No sshd needed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrivateKey } from '../../../src/ssh/private-key.js';

const run = promisify(execFile);
let dir: string;
const keys: Record<string, { priv: string; fingerprint: string }> = {};

async function keygen(name: string, args: string[], passphrase = ''): Promise<void> {
  const file = path.join(dir, name);
  await run('ssh-keygen', ['-q', '-N', passphrase, '-C', name, '-f', file, ...args]);
  const { stdout } = await run('ssh-keygen', ['-lf', `${file}.pub`]);
  keys[name] = { priv: await readFile(file, 'utf8'), fingerprint: stdout.split(' ')[1]! };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dr-keys-'));
  await Promise.all([
    keygen('ed25519', ['-t', 'ed25519']),
    keygen('ed25519-enc', ['-t', 'ed25519'], 'correct horse'),
    keygen('rsa-pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']),
    keygen('rsa-pem-enc', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], 'correct horse'),
    keygen('ecdsa-pem', ['-t', 'ecdsa', '-m', 'PEM']),
    keygen('ed25519-pkcs8', ['-t', 'ecdsa', '-m', 'PKCS8']),
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** No line of key material may leak into a message (invariant 8). */
function expectNoKeyMaterial(message: string, key: string): void {
  for (const chunk of key.match(/[A-Za-z0-9+/]{24,}/g) ?? []) {
    expect(message).not.toContain(chunk.slice(4, 20)); // past the constant "AAAA" prefix
  }
}

describe('parsePrivateKey accepts', () => {
  it.each([
    ['OpenSSH ed25519', 'ed25519', (k: string) => k, undefined, 'ssh-ed25519'],
    ['without the final newline', 'ed25519', (k: string) => k.trimEnd(), undefined, 'ssh-ed25519'],
    [
      'between blank lines, after a byte order mark',
      'ed25519',
      (k: string) => `\uFEFF\n \n${k}\n\n  \n`,
      undefined,
      'ssh-ed25519',
    ],
    [
      'Windows line endings',
      'ed25519',
      (k: string) => k.replace(/\n/g, '\r\n'),
      undefined,
      'ssh-ed25519',
    ],
    [
      'indented (YAML block)',
      'ed25519',
      (k: string) => k.replace(/^/gm, '  '),
      undefined,
      'ssh-ed25519',
    ],
    [
      'encrypted, right passphrase',
      'ed25519-enc',
      (k: string) => k,
      'correct horse',
      'ssh-ed25519',
    ],
    ['PEM RSA', 'rsa-pem', (k: string) => k, undefined, 'ssh-rsa'],
    ['PEM RSA encrypted', 'rsa-pem-enc', (k: string) => k, 'correct horse', 'ssh-rsa'],
    ['PEM EC', 'ecdsa-pem', (k: string) => k, undefined, 'ecdsa-sha2-nistp256'],
    ['a passphrase it does not need', 'ed25519', (k: string) => k, 'unused', 'ssh-ed25519'],
  ])('%s', (_label, name, mangle, passphrase, type) => {
    const source = keys[name]!;
    const parsed = parsePrivateKey(mangle(source.priv), passphrase);
    expect(parsed).toMatchObject({ ok: true, type, fingerprint: source.fingerprint });
    if (!parsed.ok) return;
    expect(parsed.key.endsWith('-----\n')).toBe(true);
    expect(parsed.key).not.toContain('\r');
    expect(parsed.key).not.toMatch(/^ /m);
  });
});

describe('parsePrivateKey refuses, saying what to do', () => {
  const cases: Array<[string, () => string, string | undefined, RegExp | string]> = [
    [
      'empty',
      () => '  \n',
      undefined,
      'the SSH private key is empty; set ssh-private-key from a secret',
    ],
    [
      'a public key',
      () => 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhvc3Qta2V5LWZvci10ZXN0cw me@laptop',
      undefined,
      'this is a public key (ssh-ed25519 AAAA…); paste the private key, the block starting with -----BEGIN OPENSSH PRIVATE KEY-----',
    ],
    [
      'literal \\n escapes',
      () => keys['ed25519']!.priv.trimEnd().replace(/\n/g, '\\n'),
      undefined,
      /literal "\\n" sequences instead of line breaks/,
    ],
    [
      'encrypted without passphrase',
      () => keys['ed25519-enc']!.priv,
      undefined,
      /is encrypted; set the ssh-passphrase input/,
    ],
    [
      'wrong passphrase',
      () => keys['ed25519-enc']!.priv,
      'Tr0ub4dor&3',
      /passphrase \(ssh-passphrase\) is wrong/,
    ],
    [
      'PEM, wrong passphrase',
      () => keys['rsa-pem-enc']!.priv,
      'Tr0ub4dor&3',
      /passphrase \(ssh-passphrase\) is wrong/,
    ],
    ['PKCS#8', () => keys['ed25519-pkcs8']!.priv, undefined, /PKCS#8 key .*ssh-keygen -p -f/],
    ['unknown format', () => 'hunter2', undefined, /^not a private key: expected an OpenSSH/],
    [
      'truncated',
      () =>
        keys['ed25519']!.priv.split('\n')
          .filter((_, i) => i !== 2)
          .join('\n'),
      undefined,
      /the private key is damaged .*copy the whole file again/,
    ],
  ];
  it.each(cases)('%s', (_label, text, passphrase, message) => {
    const key = text();
    const parsed = parsePrivateKey(key, passphrase);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    if (typeof message === 'string') expect(parsed.message).toBe(message);
    else expect(parsed.message).toMatch(message);
    expectNoKeyMaterial(parsed.message, key);
    if (passphrase) expect(parsed.message).not.toContain(passphrase);
  });
});
