// GitHub's HTTP errors as domain errors: the class says what happened (callers never look at a
// status), the message stays GitHub's, and refusals say what to grant.
import { describe, expect, it } from 'vitest';
import {
  attempt,
  FileTooLargeError,
  GitHubAccessError,
  GitHubConflictError,
  GitHubForbiddenError,
  GitHubNotFoundError,
  GitHubRateLimitError,
  GitHubRequestError,
  GitHubUnavailableError,
  toDomainError,
  withDomainErrors,
} from '../../../src/github/errors.js';

/** Shaped like Octokit's RequestError. */
function http(status: number, message = `GitHub says ${status}`, said?: string): Error {
  return Object.assign(new Error(message), {
    status,
    response: { data: said === undefined ? {} : { message: said } },
  });
}

describe('toDomainError', () => {
  it('404 is not found, 409 and 422 a conflict, with the status, message and GitHub’s words', () => {
    const missing = toDomainError('getPull', http(404, 'Not Found - https://docs', 'Not Found'));
    expect(missing).toBeInstanceOf(GitHubNotFoundError);
    expect(missing).toMatchObject({
      status: 404,
      message: 'Not Found - https://docs',
      githubMessage: 'Not Found',
    });
    for (const status of [409, 422]) {
      const conflict = toDomainError('createRef', http(status));
      expect(conflict).toBeInstanceOf(GitHubConflictError);
      expect(conflict).toMatchObject({ status, githubMessage: undefined });
    }
  });

  it('403 names the permission for calls the job token makes; other calls keep the message', () => {
    const refused = toDomainError('setStatus', http(403, 'Resource not accessible'));
    expect(refused).toBeInstanceOf(GitHubForbiddenError);
    expect(refused).toBeInstanceOf(GitHubAccessError);
    expect((refused as Error).message).toMatch(
      /^GitHub refused to set a commit status \(403: Resource not accessible\)\. The workflow needs `permissions: statuses: write`/,
    );
    const other = toDomainError('getDefaultBranch', http(403, 'nope'));
    expect(other).toMatchObject({ status: 403, message: 'nope' });
  });

  it('401 says to check the token inputs', () => {
    const error = toDomainError('getPull', http(401, 'Bad credentials'));
    expect(error).toBeInstanceOf(GitHubForbiddenError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).toBe(
      'GitHub did not accept the token (401: Bad credentials). Check the `github-token` input (and `members-token`, when set): it may be mistyped, expired or revoked.',
    );
  });

  it('other statuses keep theirs; an answer without a message says its status', () => {
    const error = toDomainError('getPull', http(400, 'Bad request'));
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error).not.toBeInstanceOf(GitHubNotFoundError);
    expect(error).toMatchObject({ status: 400, message: 'Bad request' });
    expect(toDomainError('getPull', { status: 410 })).toMatchObject({
      status: 410,
      message: 'HTTP 410',
    });
  });

  it('errors that are already ours, and failures without a status, pass as they are', () => {
    const ours = [
      new GitHubAccessError('x'),
      new GitHubRateLimitError('x'),
      new GitHubUnavailableError('x', 502),
      new GitHubNotFoundError('x', 404),
    ];
    for (const error of ours) expect(toDomainError('getPull', error)).toBe(error);
    const network = new TypeError('fetch failed');
    expect(toDomainError('getPull', network)).toBe(network);
    const tooLarge = new FileTooLargeError('a.yml', 2);
    expect(toDomainError('getFile', tooLarge)).toBe(tooLarge);
    expect(toDomainError('getPull', undefined)).toBeUndefined();
  });
});

describe('attempt and withDomainErrors', () => {
  it('a request’s failure is thrown as its domain error; a result is returned as it is', async () => {
    await expect(attempt('getRefSha', async () => 'sha')).resolves.toBe('sha');
    await expect(attempt('getRefSha', () => Promise.reject(http(404)))).rejects.toBeInstanceOf(
      GitHubNotFoundError,
    );
  });

  it('every method of a port slice, named by the method (its 403 says which permission)', async () => {
    const port = withDomainErrors({
      listStatuses: (sha: string) => Promise.reject(http(403, `no ${sha}`)),
      getPull: () => {
        throw http(422);
      },
      listReviews: async () => ['r'],
    });
    await expect(port.listStatuses('abc')).rejects.toThrow(
      /^GitHub refused to read the commit statuses \(403: no abc\)/,
    );
    await expect(port.getPull()).rejects.toBeInstanceOf(GitHubConflictError);
    await expect(port.listReviews()).resolves.toEqual(['r']);
  });
});
