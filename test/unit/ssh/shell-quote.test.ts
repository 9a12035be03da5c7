// Request values reach remote shells only as quoted data (invariant 7), checked on a real sshd.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerSession } from '../../../src/ssh/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { exportLines, shellQuote } from '../../../src/ssh/shell-quote.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';

let env: SshServers;
let server: TestServer;
let session: ServerSession;
let marker: string;

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'quote' });
  server = env.servers[0]!;
  marker = path.join(server.home, 'pwned');
  session = await createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] }).connect(
    server.serverConfig(),
  );
});
afterAll(async () => {
  await session?.close();
  await env?.stop();
});

const hostile = (m: string) => [
  `"; touch ${m} #`,
  `'; touch ${m}; '`,
  `$(touch ${m})`,
  `\`touch ${m}\``,
  `\ntouch ${m}\n`,
  `a'b"c\\d$e\`f`,
  `'''`,
  `\\'`,
  `$HOME \${HOME} $((1+1)) ~ * ? [a] {a,b} !! & | ; < > ( )`,
  `-n`,
  `--`,
  ``,
  ` leading and trailing spaces `,
  `tab\there\r\ncrlf`,
  `émoji 🚀 ünïcödé`,
  `"; rm -rf / #`,
];

/** Prints each value back as hex, so nothing the shell or transport does can hide a change. */
function echoScript(names: string[]): string {
  return names.map((n) => `printf '%s' "$${n}" | od -An -tx1 | tr -d ' \\n'; echo`).join('\n');
}

function hex(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex');
}

describe('shellQuote', () => {
  it('quotes with single quotes, escaping embedded quotes', () => {
    expect(shellQuote('plain')).toBe(`'plain'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
  });

  it('refuses NUL', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('exportLines validates names', () => {
    expect(exportLines({ FEATURE_CHECKOUT: 'on', _X1: `a'b` })).toBe(
      `export FEATURE_CHECKOUT='on'\nexport _X1='a'\\''b'\n`,
    );
    for (const bad of ['lower', '1ABC', 'A-B', 'A B', '', 'A;touch x', 'PATH\n']) {
      expect(() => exportLines({ [bad]: 'x' })).toThrow(/invalid variable name/);
    }
  });

  it.each([
    ['sh (the login shell)', (script: string) => script],
    ['bash -c', (script: string) => `bash -c ${shellQuote(script)}`],
  ])(
    'round-trips hostile values exactly through %s, running nothing else',
    async (_label, wrap) => {
      const values = hostile(marker);
      const vars = Object.fromEntries(values.map((v, i) => [`V${i}`, v]));
      const script = exportLines(vars) + echoScript(Object.keys(vars));
      const result = await session.exec(wrap(script));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n').slice(0, -1)).toEqual(values.map(hex));
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('round-trips arbitrary strings (property, through the remote shell)', async () => {
    const samples = fc.sample(
      fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
      { numRuns: 100, seed: 7 },
    );
    const values = [...samples, ...hostile(marker)];
    const vars = Object.fromEntries(values.map((v, i) => [`P${i}`, v]));
    const result = await session.exec('/bin/sh -s', {
      stdin: exportLines(vars) + echoScript(Object.keys(vars)),
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, -1)).toEqual(values.map(hex));
    expect(existsSync(marker)).toBe(false);
  });
});
