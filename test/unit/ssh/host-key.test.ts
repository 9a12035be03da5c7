// Pinned host key lines: parsed strictly, fingerprinted exactly as ssh-keygen -lf prints them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostKeyAlgorithms, parseHostKeyLine } from '../../../src/ssh/host-key.js';

const run = promisify(execFile);
let dir: string;
const lines: Record<string, { line: string; fingerprint: string }> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dr-hostkeys-'));
  await Promise.all(
    [
      ['ed25519', []],
      ['rsa', ['-b', '2048']],
      ['ecdsa', ['-b', '384']],
    ].map(async ([type, extra]) => {
      const file = path.join(dir, type as string);
      await run('ssh-keygen', [
        '-q',
        '-N',
        '',
        '-t',
        type as string,
        ...(extra as string[]),
        '-f',
        file,
      ]);
      const { stdout } = await run('ssh-keygen', ['-lf', `${file}.pub`]);
      lines[type as string] = {
        line: (await readFile(`${file}.pub`, 'utf8')).trim(),
        fingerprint: stdout.split(' ')[1]!,
      };
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseHostKeyLine', () => {
  it.each([
    ['ed25519', 'ssh-ed25519', ['ssh-ed25519']],
    ['rsa', 'ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
    ['ecdsa', 'ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ])('%s: type, fingerprint as ssh-keygen -lf, algorithms to offer', (name, type, algorithms) => {
    const parsed = parseHostKeyLine(lines[name]!.line);
    expect(parsed).toMatchObject({ type, fingerprint: lines[name]!.fingerprint });
    expect(hostKeyAlgorithms(type)).toEqual(algorithms);
  });

  it('accepts a known_hosts / ssh-keyscan line', () => {
    const parsed = parseHostKeyLine(`[203.0.113.10]:2222 ${lines.ed25519!.line}`);
    expect(parsed).toMatchObject({ fingerprint: lines.ed25519!.fingerprint });
  });

  it.each([
    [undefined, 'empty'],
    ['   ', 'empty'],
    ['AAAAC3NzaC1lZDI1NTE5', /^not a public key line/],
    ['ssh-ed25519', 'ssh-ed25519 key without valid base64 data'],
    ['ssh-ed25519 AAAA$$$', 'ssh-ed25519 key without valid base64 data'],
    [
      'ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ==',
      'ssh-ed25519 key whose data is not a ssh-ed25519 key',
    ],
  ])('refuses %j', (line, error) => {
    const parsed = parseHostKeyLine(line);
    expect('error' in parsed).toBe(true);
    if ('error' in parsed) {
      if (typeof error === 'string') expect(parsed.error).toBe(error);
      else expect(parsed.error).toMatch(error);
    }
  });
});
