// Where a PR's request stands, from a port that answers as GitHub would: config at the base SHA
// only, exactly one added request file, files too large, files gone at the head.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isFork, resolveRequest } from '../../../src/action/resolve-request.js';
import {
  FileTooLargeError,
  type PullFile,
  type PullRequestInfo,
} from '../../../src/github/port.js';

const CONFIG = readFileSync(new URL('../../fixtures/config/valid.yml', import.meta.url), 'utf8');
const REQUEST = readFileSync(new URL('../../fixtures/requests/valid.yml', import.meta.url), 'utf8');
const repo = { owner: 'acme', repo: 'app' };
const pull: PullRequestInfo = {
  number: 7,
  state: 'open',
  merged: false,
  draft: false,
  author: 'dev',
  authorIsBot: false,
  headSha: 'head',
  headRepoFullName: 'Acme/App',
  baseSha: 'base',
  baseRef: 'main',
  htmlUrl: '',
  requestedUsers: [],
  requestedTeams: [],
};

function port(files: Record<string, Record<string, string | Error>>, pullFiles: PullFile[]) {
  return {
    getFileText: vi.fn(async (path: string, ref: string) => {
      const v = files[ref]?.[path];
      if (v instanceof Error) throw v;
      return v ?? null;
    }),
    listPullFiles: vi.fn(async () => pullFiles),
  };
}

const added = (filename: string): PullFile => ({ filename, status: 'added' });

describe('isFork', () => {
  it('compares full names case-insensitively; a deleted head repository is a fork', () => {
    expect(isFork(pull, repo)).toBe(false);
    expect(isFork({ ...pull, headRepoFullName: 'mallory/app' }, repo)).toBe(true);
    expect(isFork({ ...pull, headRepoFullName: null }, repo)).toBe(true);
  });
});

describe('resolveRequest', () => {
  it('valid: the config from the base SHA, the request from the head SHA', async () => {
    const github = port(
      {
        base: { 'c.yml': CONFIG },
        head: { 'c.yml': 'garbage: [', 'deploy-requests/a.yml': REQUEST },
      },
      [added('deploy-requests/a.yml')],
    );
    const r = await resolveRequest(github, pull, repo, 'c.yml');
    expect(r).toMatchObject({
      kind: 'valid',
      file: 'deploy-requests/a.yml',
      request: { release: '1.4.2' },
    });
    expect(github.getFileText.mock.calls).toEqual([
      ['c.yml', 'base'],
      ['deploy-requests/a.yml', 'head'],
    ]);
  });

  it('the config’s own request paths decide which files are requests', async () => {
    const config = CONFIG.replace(
      "paths: ['deploy-requests/**/*.yml', 'deploy-requests/**/*.yaml']",
      "paths: ['ops/requests/*.yml']",
    );
    const github = port({ base: { 'c.yml': config }, head: { 'ops/requests/a.yml': REQUEST } }, [
      added('deploy-requests/ignored.yml'),
      added('ops/requests/a.yml'),
    ]);
    expect(await resolveRequest(github, pull, repo, 'c.yml')).toMatchObject({
      kind: 'valid',
      file: 'ops/requests/a.yml',
    });
  });

  it('no request file: none (even without a config)', async () => {
    const github = port({}, [added('README.md')]);
    expect(await resolveRequest(github, pull, repo, 'c.yml')).toEqual({ kind: 'none' });
  });

  it('a config too large to read is a problem on its first line', async () => {
    const github = port({ base: { 'c.yml': new FileTooLargeError('c.yml', 2 * 1024 * 1024) } }, [
      added('deploy-requests/a.yml'),
    ]);
    const r = await resolveRequest(github, pull, repo, 'c.yml');
    expect(r).toEqual({
      kind: 'invalid',
      file: 'deploy-requests/a.yml',
      problems: [
        {
          file: 'c.yml',
          line: 1,
          column: 1,
          message: expect.stringMatching(/^file is too large \(2\.0 MiB\)/),
        },
      ],
    });
  });

  it('a request too large to read is a problem on its first line', async () => {
    const github = port(
      {
        base: { 'c.yml': CONFIG },
        head: { 'deploy-requests/a.yml': new FileTooLargeError('deploy-requests/a.yml', 300_000) },
      },
      [added('deploy-requests/a.yml')],
    );
    const r = await resolveRequest(github, pull, repo, 'c.yml');
    expect(r).toMatchObject({
      kind: 'invalid',
      problems: [
        { file: 'deploy-requests/a.yml', line: 1, message: expect.stringMatching(/too large/) },
      ],
    });
  });

  it('other read errors propagate', async () => {
    const github = port({ base: { 'c.yml': new Error('boom') } }, [added('deploy-requests/a.yml')]);
    await expect(resolveRequest(github, pull, repo, 'c.yml')).rejects.toThrow('boom');
  });

  it('a request file gone at the head commit: push again', async () => {
    const github = port({ base: { 'c.yml': CONFIG } }, [added('deploy-requests/a.yml')]);
    expect(await resolveRequest(github, pull, repo, 'c.yml')).toMatchObject({
      kind: 'invalid',
      problems: [{ message: 'the request file could not be read at the head commit; push again.' }],
    });
  });

  it('a renamed request is refused like an edited one', async () => {
    const github = port({ base: { 'c.yml': CONFIG } }, [
      {
        filename: 'deploy-requests/b.yml',
        status: 'renamed',
        previousFilename: 'deploy-requests/a.yml',
      },
    ]);
    expect(await resolveRequest(github, pull, repo, 'c.yml')).toMatchObject({
      kind: 'refused',
      file: 'deploy-requests/b.yml',
      reason: expect.stringContaining('already exists on the base branch (renamed)'),
    });
  });
});
