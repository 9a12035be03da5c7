// The fake port's git commits slice: the stand-in's rule functions for POST /git/commits and
// GET /git/commits/{sha} (test/support/github-stand-in/git-commits.ts), answered as the real
// slice (src/github/commits.ts) answers: the SHA made, or null for a commit that is not there.
import { GitHubNotFoundError } from '../../../src/github/errors.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { createGitCommit, madeOf, readGitCommit } from '../github-stand-in/git-commits.js';
import { treeSha } from '../github-stand-in/git.js';
import type { FakeContext } from './request.js';

export function commitsPort({
  state: s,
  request,
}: FakeContext): Pick<GitHubPort, 'createCommit' | 'getCommit'> {
  return {
    createCommit: async (message, treeShaGiven) =>
      request(
        'createCommit',
        (tok) => createGitCommit(s, tok.login, { message, tree: treeShaGiven, parents: [] }).sha,
      ),

    async getCommit(sha) {
      try {
        return request('getCommit', () => {
          const commit = readGitCommit(s, sha);
          return { message: madeOf(s, commit).message, treeSha: treeSha(commit.tree) };
        });
      } catch (error) {
        if (error instanceof GitHubNotFoundError) return null;
        throw error;
      }
    },
  };
}
