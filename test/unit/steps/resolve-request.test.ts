// Where a PR's request stands, from a port that answers as GitHub would: config at the default
// branch's tip only (never the PR's base.sha), requests on another base refused, exactly one added
// request file, files too large, files gone at the head.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isFork, resolveRequest } from '../../../src/steps/resolve-request.js';
import {
  FileTooLargeError,
  GitHubAccessError,
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

/** Files by commit; `main`'s tip is the commit `tip` (the PR's base.sha `base` lags behind it). */
function port(
  files: Record<string, Record<string, string | Error>>,
  pullFiles: PullFile[],
  refs: Record<string, string> = { 'heads/main': 'tip' },
) {
  const read = (path: string, ref: string) => {
    const v = files[ref]?.[path];
    if (v instanceof Error) throw v;
    return v ?? null;
  };
  return {
    getFileText: vi.fn(async (path: string, ref: string) => read(path, ref)),
    getFile: vi.fn(async (path: string, ref: string) => {
      const text = read(path, ref);
      return text === null ? null : { text, sha: `blob:${ref}:${path}` };
    }),
    getRefSha: vi.fn(async (ref: string) => refs[ref] ?? null),
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
  it('valid: the config from the default branch’s tip (not base.sha), the request from the head SHA', async () => {
    const github = port(
      {
        base: { 'c.yml': 'garbage: [' },
        tip: { 'c.yml': CONFIG },
        head: { 'c.yml': 'garbage: [', 'deploy-requests/a.yml': REQUEST },
      },
      [added('deploy-requests/a.yml')],
    );
    const r = await resolveRequest(github, pull, repo, 'c.yml', 'main');
    expect(r).toMatchObject({
      kind: 'valid',
      file: 'deploy-requests/a.yml',
      request: { release: '1.4.2' },
      configSha: 'blob:tip:c.yml',
    });
    expect(github.getRefSha.mock.calls).toEqual([['heads/main']]);
    expect(github.getFile.mock.calls).toEqual([['c.yml', 'tip']]);
    expect(github.getFileText.mock.calls).toEqual([['deploy-requests/a.yml', 'head']]);
  });

  it('a request on another base is refused, whatever that branch’s config says', async () => {
    const github = port(
      {
        tip: { 'c.yml': CONFIG },
        evil: { 'c.yml': CONFIG },
        head: { 'deploy-requests/a.yml': REQUEST },
      },
      [added('deploy-requests/a.yml')],
    );
    const evil = { ...pull, baseRef: 'evil', baseSha: 'evil' };
    const r = await resolveRequest(github, evil, repo, 'c.yml', 'main');
    expect(r).toEqual({
      kind: 'refused',
      short: 'Refused: requests must target main',
      reason: expect.stringMatching(
        /^Deploy requests must target `main`: this pull request targets `evil`\./,
      ),
    });
    expect(github.getFile.mock.calls).toEqual([['c.yml', 'tip']]);
    // Without a request file the PR is not ours, whatever its base.
    const other = port({ tip: { 'c.yml': CONFIG } }, [added('README.md')]);
    expect(await resolveRequest(other, evil, repo, 'c.yml', 'main')).toEqual({ kind: 'none' });
  });

  it('no config on the default branch: invalid, naming the branch; a missing branch is an error', async () => {
    const github = port({ base: { 'c.yml': CONFIG } }, [added('deploy-requests/a.yml')]);
    expect(await resolveRequest(github, pull, repo, 'c.yml', 'main')).toMatchObject({
      kind: 'invalid',
      problems: [
        {
          file: 'c.yml',
          message: expect.stringMatching(/^no trusted configuration on the default branch main:/),
        },
      ],
    });
    const gone = port({}, [added('deploy-requests/a.yml')], {});
    const error = await resolveRequest(gone, pull, repo, 'c.yml', 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect((error as Error).message).toMatch(/default branch `main` could not be read/);
  });

  it('the config’s own request paths decide which files are requests', async () => {
    const config = CONFIG.replace(
      "paths: ['deploy-requests/**/*.yml', 'deploy-requests/**/*.yaml']",
      "paths: ['ops/requests/*.yml']",
    );
    const github = port({ tip: { 'c.yml': config }, head: { 'ops/requests/a.yml': REQUEST } }, [
      added('deploy-requests/ignored.yml'),
      added('ops/requests/a.yml'),
    ]);
    expect(await resolveRequest(github, pull, repo, 'c.yml', 'main')).toMatchObject({
      kind: 'valid',
      file: 'ops/requests/a.yml',
    });
  });

  it('no request file: none (even without a config)', async () => {
    const github = port({}, [added('README.md')]);
    expect(await resolveRequest(github, pull, repo, 'c.yml', 'main')).toEqual({ kind: 'none' });
  });

  it('a config too large to read is a problem on its first line', async () => {
    const github = port({ tip: { 'c.yml': new FileTooLargeError('c.yml', 2 * 1024 * 1024) } }, [
      added('deploy-requests/a.yml'),
    ]);
    const r = await resolveRequest(github, pull, repo, 'c.yml', 'main');
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
        tip: { 'c.yml': CONFIG },
        head: { 'deploy-requests/a.yml': new FileTooLargeError('deploy-requests/a.yml', 300_000) },
      },
      [added('deploy-requests/a.yml')],
    );
    const r = await resolveRequest(github, pull, repo, 'c.yml', 'main');
    expect(r).toMatchObject({
      kind: 'invalid',
      problems: [
        { file: 'deploy-requests/a.yml', line: 1, message: expect.stringMatching(/too large/) },
      ],
    });
  });

  it('other read errors propagate', async () => {
    const github = port({ tip: { 'c.yml': new Error('boom') } }, [added('deploy-requests/a.yml')]);
    await expect(resolveRequest(github, pull, repo, 'c.yml', 'main')).rejects.toThrow('boom');
  });

  it('a request file gone at the head commit: push again', async () => {
    const github = port({ tip: { 'c.yml': CONFIG } }, [added('deploy-requests/a.yml')]);
    expect(await resolveRequest(github, pull, repo, 'c.yml', 'main')).toMatchObject({
      kind: 'invalid',
      problems: [{ message: 'the request file could not be read at the head commit; push again.' }],
    });
  });

  it('a renamed request is refused like an edited one', async () => {
    const github = port({ tip: { 'c.yml': CONFIG } }, [
      {
        filename: 'deploy-requests/b.yml',
        status: 'renamed',
        previousFilename: 'deploy-requests/a.yml',
      },
    ]);
    expect(await resolveRequest(github, pull, repo, 'c.yml', 'main')).toMatchObject({
      kind: 'refused',
      file: 'deploy-requests/b.yml',
      reason: expect.stringContaining('already exists on the base branch (renamed)'),
    });
  });
});
