// The fake port's checks slice: the stand-in's rule functions for GET /commits/{ref} and
// GET /commits/{ref}/check-runs (test/support/github-stand-in/checks.ts), answered as the real
// slice (src/github/checks.ts) answers: null for a ref that names no commit.
import { GitHubConflictError } from '../../../src/github/errors.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { commitOfRef, listCheckRuns } from '../github-stand-in/checks.js';
import type { FakeContext } from './request.js';

export function checksPort({
  state: s,
  request,
}: FakeContext): Pick<GitHubPort, 'commitOf' | 'listCheckRuns'> {
  return {
    async commitOf(ref) {
      try {
        return request('commitOf', () => commitOfRef(s, ref));
      } catch (error) {
        if (error instanceof GitHubConflictError) return null;
        throw error;
      }
    },

    listCheckRuns: async (sha) =>
      request('listCheckRuns', () =>
        listCheckRuns(s, sha).map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          conclusion: r.conclusion,
        })),
      ),
  };
}
