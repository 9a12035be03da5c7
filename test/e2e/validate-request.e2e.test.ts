// SPEC §3 pull_request: validation through the bundled action against the GitHub stand-in.
import { describe, expect, it } from 'vitest';
import { pullRequestEvent } from '../support/events.js';
import {
  CONFIG_PATH,
  REQUEST_PATH,
  REQUEST_TEXT,
  repoWithConfig,
  run,
  stickyOf,
} from './scenario.js';

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const request = (body: string): string => `version: 1\napplication: web\n${body}`;
const REST = `release: 1.4.2\nartifact:\n  url: https://example.com/web.tar.gz\n  sha256: ${SHA}\nreason: Roll out\n`;

describe('pull_request validation (e2e through dist/index.js)', () => {
  it('a valid request: validate success, sticky comment, outputs, reviews requested', async () => {
    const gh = await repoWithConfig();
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: REQUEST_TEXT },
    });
    gh.clearCalls();
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      phase: 'awaiting-approval',
      'request-file': REQUEST_PATH,
      environment: 'staging',
    });
    const statuses = gh.statuses(headSha);
    expect(statuses.find((s) => s.context === 'deploy-request/validate')?.state).toBe('success');
    expect(statuses.find((s) => s.context === 'deploy-request/approval')?.state).toBe('pending');
    const sticky = stickyOf(gh, number);
    expect(sticky).toContain('awaiting approval');
    expect(sticky).toContain('| 1. lead | 0 of 1 |');
    expect(gh.requestedReviewers(number)).toEqual({ users: ['alice'], teams: ['team-leads'] });
    expect(result.summary).toContain('awaiting approval');
    // main's tip, config there, PR files, request at head, comments, reviews, 2 statuses, 1 review
    // request, 1 comment. No team members: without reviews no team can change the tally.
    expect(gh.count({ path: /\/teams\// })).toBe(0);
    expect(sticky).toContain('1 more from: @alice, @acme/team-leads');
    expect(gh.count({})).toBeLessThanOrEqual(10);
  });

  it('a second run updates the sticky comment in place instead of adding one', async () => {
    const gh = await repoWithConfig();
    const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: REQUEST_TEXT } });
    await run(gh, { eventName: 'pull_request', payload: pullRequestEvent(gh, 'opened', number) });
    await run(gh, { eventName: 'pull_request', payload: pullRequestEvent(gh, 'edited', number) });
    expect(gh.comments(number)).toHaveLength(1);
  });

  const invalid: Array<{ name: string; text: string; line: number; message: RegExp }> = [
    {
      name: 'YAML syntax error',
      text: request(`environment: staging\nrelease: 1.4.2: x\n`),
      line: 4,
      message: /YAML syntax error/,
    },
    {
      name: 'unknown field with a suggestion',
      text: request(`environment: staging\n${REST.replace('sha256:', 'sha265:')}`),
      line: 7,
      message: /sha265.*unknown field/,
    },
    {
      name: 'missing required field',
      text: request(`environment: staging\n${REST.replace('release: 1.4.2\n', '')}`),
      line: 1,
      message: /release.*required/,
    },
    {
      name: 'wrong type',
      text: `version: "1"\napplication: web\nenvironment: staging\n${REST}`,
      line: 1,
      message: /version/,
    },
    {
      name: 'sha256 not hex',
      text: request(`environment: staging\n${REST.replace(SHA, 'abc')}`),
      line: 7,
      message: /sha256.*64/,
    },
    {
      name: 'unknown environment',
      text: request(`environment: prod\n${REST}`),
      line: 3,
      message: /prod.*not an environment.*staging/,
    },
    {
      name: 'server outside the environment',
      text: request(`environment: staging\nservers: [web-1, web-9]\n${REST}`),
      line: 4,
      message: /web-9.*not a server of environment .staging.*web-1, web-2/,
    },
    {
      name: 'variable not allowed',
      text: request(`environment: staging\n${REST}variables:\n  DEBUG: "1"\n`),
      line: 10,
      message: /DEBUG/,
    },
    {
      name: 'path traversal',
      text: request(
        `environment: staging\nrelease: 1.4.2\nartifact:\n  path: ../../etc/passwd\nreason: x\n`,
      ),
      line: 6,
      message: /\.\./,
    },
    {
      name: 'absolute artifact path',
      text: request(
        `environment: staging\nrelease: 1.4.2\nartifact:\n  path: /etc/passwd\nreason: x\n`,
      ),
      line: 6,
      message: /absolute|relative/,
    },
    {
      name: 'anchors and aliases refused',
      text: request(
        `environment: &e staging\nrelease: *e\nartifact:\n  url: https://example.com/a.tar.gz\n  sha256: ${SHA}\nreason: x\n`,
      ),
      line: 3,
      message: /alias|anchor/i,
    },
    {
      name: 'plain http url',
      text: request(`environment: staging\n${REST.replace('https://', 'http://')}`),
      line: 6,
      message: /https/,
    },
    {
      name: 'duplicate key',
      text: request(`environment: staging\nenvironment: staging\n${REST}`),
      line: 4,
      message: /duplicate/i,
    },
    {
      name: 'lowercase variable name',
      text: request(`environment: staging\n${REST}variables:\n  feature: "1"\n`),
      line: 10,
      message: /feature/,
    },
  ];

  for (const c of invalid) {
    it(`invalid: ${c.name} → line ${c.line} in the comment, the annotation and a failed job`, async () => {
      const gh = await repoWithConfig();
      const { number, headSha } = gh.openPull({
        author: 'dev',
        headFiles: { [REQUEST_PATH]: c.text },
      });
      const result = await run(gh, {
        eventName: 'pull_request',
        payload: pullRequestEvent(gh, 'opened', number),
      });

      expect(result.outputs.phase).toBe('invalid');
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
      const annotation = result.annotations.find(
        (a) => a.level === 'error' && a.file === REQUEST_PATH && c.message.test(a.message),
      );
      expect(annotation?.line).toBe(c.line);
      const sticky = stickyOf(gh, number);
      expect(sticky).toContain(`${REQUEST_PATH}:${c.line}:`);
      expect(sticky).toContain(`#L${c.line}`);
      expect(gh.statuses(headSha).find((s) => s.context === 'deploy-request/validate')?.state).toBe(
        'failure',
      );
      expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });
    });
  }

  it('config edited in the PR changes nothing: the base config wins (invariant 1)', async () => {
    const gh = await repoWithConfig();
    const evil = `${(await import('./scenario.js')).CONFIG_TEXT}  prod:\n    servers: []\n`;
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: {
        [CONFIG_PATH]: evil,
        [REQUEST_PATH]: REQUEST_TEXT.replace('environment: staging', 'environment: prod'),
      },
    });
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(result.outputs.phase).toBe('invalid');
    expect(stickyOf(gh, number)).toMatch(/prod.*not an environment/);
  });

  it('two request files are refused with a clear comment', async () => {
    const gh = await repoWithConfig();
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: REQUEST_TEXT, 'deploy-requests/other.yml': REQUEST_TEXT },
    });
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(result.outputs.phase).toBe('refused');
    expect(result.code).toBe(0);
    expect(stickyOf(gh, number)).toMatch(/2 deploy request files.*exactly one/);
  });

  it('a PR that edits an already merged request is refused', async () => {
    const gh = await repoWithConfig();
    gh.commitOn('main', { [REQUEST_PATH]: REQUEST_TEXT });
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: REQUEST_TEXT.replace('1.4.2', '1.4.3') },
    });
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(result.outputs.phase).toBe('refused');
    expect(stickyOf(gh, number)).toContain('already exists on the base branch');
  });

  it('a fork PR is refused with an explanation and writes nothing (invariant 9)', async () => {
    const gh = await repoWithConfig();
    const { number } = gh.openPull({
      author: 'mallory',
      fromFork: true,
      headFiles: { [REQUEST_PATH]: REQUEST_TEXT },
    });
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(result.outputs.phase).toBe('refused');
    expect(result.stdout).toMatch(/forks are refused/);
    expect(gh.count({ method: 'POST', status: 201 })).toBe(0);
  });

  it('a PR touching no request file is ignored silently', async () => {
    const gh = await repoWithConfig();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'src/app.ts': 'x' } });
    const result = await run(gh, {
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
    });
    expect(result.outputs.phase).toBe('ignored');
    expect(gh.comments(number)).toHaveLength(0);
  });
});
