// SPEC §4 invariant 10: bad input — invalid YAML, YAML bombs and aliases, oversized files,
// unknown fields, wrong types, path traversal — gets a clear, line-precise error (annotation,
// sticky comment, failed job); the action exits without a stack trace and without touching any
// server: the config points at a real sshd server whose ~/.ssh/rc records every session, and
// even a fully approved trusted run refuses. Also bad input in the base config itself.
import { beforeEach, describe, expect, it } from 'vitest';
import { workflowDispatchEvent } from '../support/events.js';
import {
  approveAll,
  CONFIG_PATH,
  configFor,
  dispatch,
  expectNoStackTrace,
  gate,
  lastReply,
  repoWithConfig,
  requestFor,
  resetHome,
  run,
  SHA,
  sessions,
  stickyOf,
  useSshServers,
  type GitHubStandIn,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const HEAD = 'version: 1\napplication: web\nenvironment: staging\n';
const REST = `release: 1.4.2\nartifact:\n  url: https://example.com/web.tar.gz\n  sha256: ${SHA}\nreason: x\n`;

function billionLaughs(): string {
  const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${HEAD}${REST}${rows.join('\n')}\n`;
}

const CASES: Array<{ name: string; text: () => string; line: number; message: RegExp }> = [
  {
    name: 'invalid YAML',
    text: () => `${HEAD}release: 1.4.2: x\n`,
    line: 4,
    message: /YAML syntax error/,
  },
  {
    name: 'alias bomb (billion laughs)',
    text: billionLaughs,
    line: 9,
    message: /aliases and anchors are not allowed/,
  },
  {
    name: '2 MB file',
    text: () => `${HEAD}${REST}${`# ${'x'.repeat(1022)}\n`.repeat(2048)}`,
    line: 1,
    message: /file is too large \(2\.0 MiB\); deploy-request files may be at most 256 KiB/,
  },
  {
    name: 'unknown field',
    text: () => `${HEAD}${REST}comand: "./bin/steal"\n`,
    line: 9,
    message: /comand.*unknown field/,
  },
  {
    name: 'wrong type',
    text: () => `${HEAD}${REST}servers: web-1\n`,
    line: 9,
    message: /`servers`: must be a list, got string/,
  },
  {
    name: 'path traversal',
    text: () => `${HEAD}release: 1.4.2\nartifact:\n  path: build/../../etc/passwd\nreason: x\n`,
    line: 6,
    message: /\.\./,
  },
];

/** A repository (closed after the test) whose base config names the real server. */
function repo(): Promise<GitHubStandIn> {
  return repoWithConfig(configFor(fleet().servers));
}

describe('invariant 10: bad input is refused on its line, with no stack trace and no server touched', () => {
  for (const c of CASES) {
    it(`${c.name} → line ${c.line}; the approved trusted run refuses too`, async () => {
      const gh = await repo();
      const file = 'deploy-requests/bad.yml';
      const { number } = gh.openPull({ author: 'dev', headFiles: { [file]: c.text() } });
      approveAll(gh, number);
      const result = await gate(gh, number);
      expect(result.outputs.phase).toBe('invalid');
      expect(result.code).toBe(1);
      expectNoStackTrace(result);
      const annotation = result.annotations.find(
        (a) => a.file === file && c.message.test(a.message),
      );
      expect(annotation, result.stdout).toMatchObject({ level: 'error', line: c.line });
      expect(stickyOf(gh, number)).toContain(`${file}:${c.line}:`);
      expect(gh.dispatches()).toEqual([]);

      const trusted = await dispatch(gh, number, fleet().clientKey.privateKey);
      expect(trusted.outputs.phase).toBe('refused');
      expectNoStackTrace(trusted);
      expect(lastReply(gh, number)).toMatch(/is not valid at the head commit/);
      expect(sessions(fleet().servers[0]!)).toBe(0);
      expect(gh.deployments()).toEqual([]);
    });
  }

  it('a broken base config is reported on its own line; nothing is handed over or touched', async () => {
    const config = configFor(fleet().servers, {
      deploy: { activte: 'oops', path: 'app' },
    });
    const line = config.split('\n').findIndex((l) => l.includes('activte')) + 1;
    const gh = await repoWithConfig(config);
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { 'deploy-requests/web.yml': requestFor() },
    });
    approveAll(gh, number);
    const result = await gate(gh, number);
    expect(result.outputs.phase).toBe('invalid');
    expectNoStackTrace(result);
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        file: CONFIG_PATH,
        line,
        message: expect.stringMatching(/activte/),
      }),
    );
    expect(gh.dispatches()).toEqual([]);
    const trusted = await dispatch(gh, number, fleet().clientKey.privateKey);
    expect(trusted.outputs.phase).toBe('refused');
    expect(sessions(fleet().servers[0]!)).toBe(0);
  });

  it('a dispatch whose pull-request input is not a number is ignored', async () => {
    const gh = await repoWithConfig(configFor(fleet().servers));
    for (const value of ['1; rm -rf /', '../1', '$(id)', '1\n2', '']) {
      const result = await run(gh, {
        eventName: 'workflow_dispatch',
        payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': value } }),
        inputs: { 'ssh-private-key': fleet().clientKey.privateKey },
      });
      expect(result.outputs.phase, value).toBe('ignored');
      expect(result.code).toBe(0);
      expectNoStackTrace(result);
    }
    expect(gh.calls().filter((c) => c.method !== 'GET')).toEqual([]);
    expect(sessions(fleet().servers[0]!)).toBe(0);
  });
});
