// The fake port's issues slice: the stand-in's rule functions for POST /issues, GET /issues and
// POST /issues/{n}/labels (test/support/github-stand-in/issue-ops.ts), answered as the real slice
// (src/github/issues.ts) answers: pull requests left out of the list, newest first.
import { toIssue } from '../../../src/github/issues.js';
import type { GitHubPort, IssueInfo } from '../../../src/github/port.js';
import { issue } from '../github-stand-in/builders-issues.js';
import {
  addLabels,
  createIssue,
  listIssueNumbers,
  mustIssue,
} from '../github-stand-in/issue-ops.js';
import { check } from '../github-stand-in/permissions.js';
import type { State } from '../github-stand-in/state.js';
import type { FakeContext } from './request.js';

function toIssueOf(s: State, number: number): IssueInfo {
  return toIssue(issue(s, mustIssue(s, number)));
}

export function issuesPort({
  state: s,
  request,
}: FakeContext): Pick<
  GitHubPort,
  'createIssue' | 'listIssuesWithLabel' | 'issueClosedBy' | 'addLabels'
> {
  return {
    createIssue: async (input) =>
      request('createIssue', (tok) => {
        const rec = createIssue(s, tok.login, input);
        return { number: rec.number, htmlUrl: toIssueOf(s, rec.number).htmlUrl };
      }),

    listIssuesWithLabel: async (label) =>
      request('listIssuesWithLabel', () =>
        listIssueNumbers(s, { state: 'all', labels: [label], sort: 'created', direction: 'desc' })
          .filter((n) => !s.pulls.has(n))
          .map((n) => toIssueOf(s, n)),
      ),

    issueClosedBy: async (number) =>
      request('issueClosedBy', () => {
        const rec = mustIssue(s, number);
        return rec.state === 'closed' ? rec.closedBy : null;
      }),

    addLabels: async (number, labels) =>
      request('addLabels', (tok) => {
        // CALL_NEED is a pull request's need; an issue's (or no such number's) is issues: write.
        if (!s.pulls.has(number)) check(tok.permissions, [{ scope: 'issues', access: 'write' }]);
        addLabels(s, number, labels);
      }),
  };
}
