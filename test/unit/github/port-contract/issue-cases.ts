// Contract cases for break-glass's issues: a follow-up issue opened and found again by its label
// (pull requests left out, closed ones kept, newest first, every page), labels on a pull request
// and on an issue, and the permission each call takes.
import { expect, it } from 'vitest';
import { GitHubForbiddenError, GitHubNotFoundError } from '../../../../src/github/errors.js';
import { failure, type Subject } from './subject.js';

export function issueCases(subject: () => Promise<Subject>): void {
  it("createIssue then listIssuesWithLabel: ours and users', newest first, closed ones kept, pull requests and other labels left out", async () => {
    const { gh, port } = await subject();
    const github = port();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    gh.addLabels(pr, ['break-glass']);
    const first = await github.createIssue({
      title: 'Review break-glass #1',
      body: 'Who, what, why.',
      labels: ['break-glass'],
    });
    // Issues and pull requests share one number sequence.
    expect(first.number).toBe(pr + 1);
    expect(first.htmlUrl).toBe(`https://github.com/acme/app/issues/${first.number}`);
    const other = gh.openIssue({ title: 'unrelated', labels: ['bug'] });
    const byUser = gh.openIssue({ author: 'dev', title: 'by hand', labels: ['Break-Glass'] });
    gh.closeIssue(first.number, 'olga');

    const list = await github.listIssuesWithLabel('break-glass');
    expect(list.map((i) => i.number)).toEqual([byUser, first.number]);
    expect(list[1]).toEqual({
      number: first.number,
      state: 'closed',
      author: 'github-actions[bot]',
      authorIsBot: true,
      title: 'Review break-glass #1',
      body: 'Who, what, why.',
      labels: ['break-glass'],
      createdAt: expect.stringMatching(/Z$/),
      closedAt: expect.stringMatching(/Z$/),
      htmlUrl: first.htmlUrl,
    });
    expect(list[0]).toMatchObject({ author: 'dev', authorIsBot: false, state: 'open' });
    expect(list[0]!.closedAt).toBeNull();
    expect(list.map((i) => i.number)).not.toContain(other);
    expect(await github.listIssuesWithLabel('nothing-has-it')).toEqual([]);
  });

  it('issueClosedBy: who closed it, from the issue itself (a list never says); null while open; no such issue is GitHubNotFoundError', async () => {
    const { gh, port } = await subject();
    const github = port();
    const { number } = await github.createIssue({ title: 't', body: 'b', labels: [] });
    expect(await github.issueClosedBy(number)).toBeNull();
    gh.closeIssue(number, 'tina');
    expect(await github.issueClosedBy(number)).toBe('tina');
    gh.reopenIssue(number);
    expect(await github.issueClosedBy(number)).toBeNull();
    expect(await failure(github.issueClosedBy(9999))).toBeInstanceOf(GitHubNotFoundError);
  });

  it('listIssuesWithLabel reads every page', async () => {
    const { gh, port } = await subject();
    for (let i = 0; i < 105; i++) gh.openIssue({ title: `i${i}`, labels: ['break-glass'] });
    const list = await port().listIssuesWithLabel('break-glass');
    expect(list).toHaveLength(105);
    expect(list[0]!.title).toBe('i104');
  });

  it('addLabels: on a pull request and an issue, once each, unknown labels made; no such number is GitHubNotFoundError', async () => {
    const { gh, port } = await subject();
    const github = port();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    await github.addLabels(pr, ['break-glass']);
    await github.addLabels(pr, ['break-glass', 'emergency']);
    expect(gh.labels(pr)).toEqual(['break-glass', 'emergency']);
    const issue = gh.openIssue({ title: 't' });
    await github.addLabels(issue, ['break-glass']);
    expect(gh.issue(issue).labels).toEqual(['break-glass']);
    const error = await failure(github.addLabels(9999, ['x']));
    expect(error).toBeInstanceOf(GitHubNotFoundError);
  });

  it('permissions: createIssue takes issues: write, listIssuesWithLabel issues: read, addLabels issues or pull-requests: write on a pull request', async () => {
    const { gh, port } = await subject();
    const pr = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } }).number;
    const issue = gh.openIssue({ title: 't' });
    const readOnly = port({ token: gh.tokens.readOnly });
    const refused = await failure(readOnly.createIssue({ title: 't', body: 'b', labels: [] }));
    expect(refused).toBeInstanceOf(GitHubForbiddenError);
    expect(refused.message).toMatch(/^GitHub refused to open an issue \(403: /);
    expect(refused.message).toContain('The workflow needs `permissions: issues: write`');
    expect(await readOnly.listIssuesWithLabel('x')).toEqual([]);
    const none = await failure(port({ token: gh.tokenFor({}) }).listIssuesWithLabel('x'));
    expect(none.message).toContain('The workflow needs `permissions: issues: read`');
    const pullsOnly = port({ token: gh.tokenFor({ 'pull-requests': 'write' }) });
    await pullsOnly.addLabels(pr, ['break-glass']);
    expect(gh.labels(pr)).toEqual(['break-glass']);
    const onIssue = await failure(pullsOnly.addLabels(issue, ['break-glass']));
    expect(onIssue.message).toMatch(/^GitHub refused to label the pull request \(403: /);
    expect(onIssue.message).toContain('The workflow needs `permissions: issues: write`');
    const labelReadOnly = await failure(readOnly.addLabels(pr, ['x']));
    expect(labelReadOnly).toBeInstanceOf(GitHubForbiddenError);
    expect(gh.labels(pr)).toEqual(['break-glass']);
  });
}
