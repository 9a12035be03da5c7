// Contract cases for the pull request calls: the pull request, files, reviews, review requests,
// comments and reactions, commit statuses, Deployments and their statuses.
import { expect, it } from 'vitest';
import { GitHubConflictError, GitHubNotFoundError } from '../../../../src/github/errors.js';
import { failure, type Subject } from './subject.js';

export function pullCases(subject: (o?: { collaborators?: string[] }) => Promise<Subject>): void {
  it('the pull request as plain data; its files with their status; reviews in order', async () => {
    const { gh, port } = await subject();
    const github = port();
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { 'x.txt': 'x', 'README.md': null, 'dir/b.txt': 'a', 'dir/a.txt': null },
    });
    gh.review(number, 'alice', 'APPROVED');
    gh.review(number, 'ci[bot]', 'COMMENTED');
    expect(await github.getPull(number)).toEqual({
      number,
      state: 'open',
      merged: false,
      draft: false,
      author: 'dev',
      authorIsBot: false,
      headSha,
      headRepoFullName: gh.fullName,
      baseSha: gh.branch('main'),
      baseRef: 'main',
      htmlUrl: `https://github.com/${gh.fullName}/pull/${number}`,
      requestedUsers: [],
      requestedTeams: [],
    });
    expect(await github.listPullFiles(number)).toEqual([
      { filename: 'README.md', status: 'removed' },
      { filename: 'dir/b.txt', status: 'renamed', previousFilename: 'dir/a.txt' },
      { filename: 'x.txt', status: 'added' },
    ]);
    const reviews = await github.listReviews(number);
    expect(reviews).toMatchObject([
      { user: 'alice', userIsBot: false, state: 'APPROVED', commitId: headSha },
      { user: 'ci[bot]', userIsBot: true, state: 'COMMENTED', commitId: headSha },
    ]);
    expect(reviews[0]!.submittedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    gh.closePull(number, { merge: true });
    expect(await github.getPull(number)).toMatchObject({ state: 'closed', merged: true });
  });

  it('an unknown pull request is GitHubNotFoundError for every call about it', async () => {
    const { port } = await subject();
    const github = port();
    for (const call of [
      () => github.getPull(404),
      () => github.listPullFiles(404),
      () => github.listReviews(404),
      () => github.listComments(404),
      () => github.createComment(404, 'x'),
      () => github.requestReviewers(404, ['alice'], []),
    ]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(GitHubNotFoundError);
      expect(error).toMatchObject({ status: 404, githubMessage: 'Not Found' });
    }
  });

  it('review requests: users and teams are asked; the author, or a team of no access, is GitHubConflictError (422); nothing to ask is no request', async () => {
    const { gh, port } = await subject();
    const github = port();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    await github.requestReviewers(number, ['alice'], ['ops']);
    expect(await github.getPull(number)).toMatchObject({
      requestedUsers: ['alice'],
      requestedTeams: ['ops'],
    });
    const author = await failure(github.requestReviewers(number, ['dev'], []));
    expect(author).toBeInstanceOf(GitHubConflictError);
    expect(author).toMatchObject({
      status: 422,
      githubMessage: 'Review cannot be requested from pull request author.',
    });
    const team = await failure(github.requestReviewers(number, [], ['nobody']));
    expect(team).toBeInstanceOf(GitHubConflictError);
    expect((team as GitHubConflictError).githubMessage).toMatch(
      /^Reviews may only be requested from collaborators/,
    );
    await expect(github.requestReviewers(number, [], [])).resolves.toBeUndefined();
    expect(gh.requestedReviewers(number)).toEqual({ users: ['alice'], teams: ['ops'] });
  });

  it('review requests: one user without access to the repository fails the whole request', async () => {
    const { gh, port } = await subject({ collaborators: ['alice'] });
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const error = await failure(port().requestReviewers(number, ['alice', 'eve'], []));
    expect(error).toBeInstanceOf(GitHubConflictError);
    expect(gh.requestedReviewers(number)).toEqual({ users: [], teams: [] });
  });

  it("comments: create, update and list round trip (the workflow token's user is a bot); react", async () => {
    const { gh, port } = await subject();
    const github = port();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const human = gh.comment(number, 'alice', '/confirm');
    const created = await github.createComment(number, 'hello');
    expect(created).toEqual({
      id: expect.any(Number),
      user: 'github-actions[bot]',
      userIsBot: true,
      body: 'hello',
      createdAt: expect.stringMatching(/^\d{4}-/),
      updatedAt: created.createdAt,
    });
    await github.updateComment(created.id, 'bye');
    expect(await github.listComments(number)).toMatchObject([
      { id: human, user: 'alice', userIsBot: false, body: '/confirm' },
      { id: created.id, user: 'github-actions[bot]', userIsBot: true, body: 'bye' },
    ]);
    await github.addReaction(human, 'eyes');
    expect(gh.reactions(human)).toEqual([{ user: 'github-actions[bot]', content: 'eyes' }]);
  });

  it('comments: a missing one is GitHubNotFoundError; a body over 65536 characters is GitHubConflictError', async () => {
    const { gh, port } = await subject();
    const github = port();
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    await expect(github.updateComment(99, 'x')).rejects.toBeInstanceOf(GitHubNotFoundError);
    await expect(github.addReaction(99, 'eyes')).rejects.toBeInstanceOf(GitHubNotFoundError);
    await expect(github.createComment(number, 'x'.repeat(65537))).rejects.toBeInstanceOf(
      GitHubConflictError,
    );
    expect(gh.comments(number)).toEqual([]);
  });

  it('commit statuses: the newest per context, descriptions cut at 140 with …; an unknown commit is GitHubConflictError', async () => {
    const { gh, port } = await subject();
    const github = port();
    const sha = gh.branch('main') as string;
    await github.setStatus(sha, { context: 'a', state: 'pending', description: 'x' });
    await github.setStatus(sha, {
      context: 'a',
      state: 'success',
      description: 'y'.repeat(200),
      targetUrl: 'https://ci.example/1',
    });
    await github.setStatus(sha, { context: 'b', state: 'failure', description: '' });
    expect(await github.listStatuses(sha)).toEqual([
      {
        context: 'a',
        state: 'success',
        description: `${'y'.repeat(139)}…`,
        targetUrl: 'https://ci.example/1',
      },
      { context: 'b', state: 'failure', description: '', targetUrl: undefined },
    ]);
    const unknown = 'f'.repeat(40);
    await expect(
      github.setStatus(unknown, { context: 'a', state: 'success', description: '' }),
    ).rejects.toBeInstanceOf(GitHubConflictError);
    await expect(github.listStatuses(unknown)).rejects.toBeInstanceOf(GitHubConflictError);
  });

  it('deployments: created with the payload as JSON; listed by environment and sha, newest first', async () => {
    const { gh, port } = await subject();
    const github = port();
    const { headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const main = gh.branch('main') as string;
    const first = await github.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: 1, at: new Date(0), none: undefined },
      description: 'first',
    });
    expect(first).toEqual({
      id: expect.any(Number),
      sha: headSha,
      environment: 'staging',
      payload: { pr: 1, at: '1970-01-01T00:00:00.000Z' },
      createdAt: expect.stringMatching(/^\d{4}-/),
    });
    const prod = await github.createDeployment({
      ref: 'main',
      environment: 'production',
      payload: {},
      description: '',
    });
    const second = await github.createDeployment({
      ref: headSha,
      environment: 'staging',
      payload: { pr: 2 },
      description: '',
    });
    const ids = (list: { id: number }[]) => list.map((d) => d.id);
    expect(ids(await github.listDeployments('staging'))).toEqual([second.id, first.id]);
    expect(ids(await github.listDeployments('staging', headSha))).toEqual([second.id, first.id]);
    expect(await github.listDeployments('staging', main)).toEqual([]);
    expect(await github.listDeployments('production', main)).toEqual([{ ...prod, sha: main }]);
    const unknownRef = await failure(
      github.createDeployment({
        ref: 'nope',
        environment: 'staging',
        payload: {},
        description: '',
      }),
    );
    expect(unknownRef).toBeInstanceOf(GitHubConflictError);
  });

  it('deployment statuses: newest first, descriptions cut at 140; the latest, or null; an unknown deployment is GitHubNotFoundError', async () => {
    const { gh, port } = await subject();
    const github = port();
    const make = () =>
      github.createDeployment({
        ref: 'main',
        environment: 'staging',
        payload: {},
        description: '',
      });
    const one = await make();
    expect(await github.latestDeploymentStatus(one.id)).toBeNull();
    expect(await github.listDeploymentStatuses(one.id)).toEqual([]);
    await github.createDeploymentStatus(one.id, 'queued', { description: 'q' });
    await github.createDeploymentStatus(one.id, 'in_progress');
    await github.createDeploymentStatus(one.id, 'success', { description: 'z'.repeat(200) });
    expect(await github.listDeploymentStatuses(one.id)).toMatchObject([
      { state: 'success', description: `${'z'.repeat(139)}…` },
      { state: 'in_progress', description: '' },
      { state: 'queued', description: 'q' },
    ]);
    expect(await github.latestDeploymentStatus(one.id)).toEqual({
      state: 'success',
      createdAt: expect.stringMatching(/^\d{4}-/),
    });
    // Not auto-inactivated: another success in the environment leaves this one as it is.
    const two = await make();
    await github.createDeploymentStatus(two.id, 'success');
    expect(gh.deploymentState(one.id)).toBe('success');
    for (const call of [
      () => github.latestDeploymentStatus(404),
      () => github.listDeploymentStatuses(404),
      () => github.createDeploymentStatus(404, 'queued'),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(GitHubNotFoundError);
    }
  });
}
