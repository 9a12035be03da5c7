// Contract cases for what require_checks reads: the commit a tag or branch names (null for none),
// the newest check run of each name on a commit across pages, and the permission each call takes.
import { expect, it } from 'vitest';
import { GitHubForbiddenError } from '../../../../src/github/errors.js';
import { failure, type Subject } from './subject.js';

export function checkCases(subject: () => Promise<Subject>): void {
  it('commitOf: a tag, a branch or a SHA names its commit; a missing tag is null', async () => {
    const { gh, port } = await subject();
    const sha = gh.commitOn('main', { 'b.txt': 'b' });
    gh.setTag('v1.4.2', sha);
    const github = port();
    expect(await github.commitOf('v1.4.2')).toBe(sha);
    expect(await github.commitOf('main')).toBe(sha);
    expect(await github.commitOf(sha)).toBe(sha);
    expect(await github.commitOf('v9')).toBeNull();
  });

  it('listCheckRuns: the newest run of each name, over every page', async () => {
    const { gh, port } = await subject();
    const sha = gh.branch('main') as string;
    gh.addCheckRun(sha, { name: 'build', conclusion: 'failure' });
    for (let i = 0; i < 120; i++) gh.addCheckRun(sha, { name: `job-${i}`, conclusion: 'success' });
    const rerun = gh.addCheckRun(sha, { name: 'build', status: 'in_progress' });
    const runs = await port().listCheckRuns(sha);
    expect(runs).toHaveLength(121);
    expect(runs.filter((r) => r.name === 'build')).toEqual([
      { id: rerun, name: 'build', status: 'in_progress', conclusion: null },
    ]);
    expect(runs.find((r) => r.name === 'job-7')).toMatchObject({ conclusion: 'success' });
  });

  it('permissions: listCheckRuns takes checks: read, commitOf contents: read', async () => {
    const { gh, port } = await subject();
    const sha = gh.branch('main') as string;
    const noChecks = port({ token: gh.tokenFor({ contents: 'read' }) });
    const refused = await failure(noChecks.listCheckRuns(sha));
    expect(refused).toBeInstanceOf(GitHubForbiddenError);
    expect(refused.message).toMatch(/^GitHub refused to list the check runs \(403: /);
    expect(refused.message).toContain('The workflow needs `permissions: checks: read`');
    expect(await noChecks.commitOf(sha)).toBe(sha);
    const none = await failure(port({ token: gh.tokenFor({ checks: 'read' }) }).commitOf(sha));
    expect(none.message).toContain('The workflow needs `permissions: contents: read`');
  });
}
