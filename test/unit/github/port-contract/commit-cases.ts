// Contract cases for the git commits a hold is made of: a commit with no parents on the default
// branch tip's tree, read back by SHA; an unknown tree, an unknown SHA, and the permission each
// call takes.
import { expect, it } from 'vitest';
import { GitHubConflictError, GitHubForbiddenError } from '../../../../src/github/errors.js';
import { failure, type Subject } from './subject.js';

export function commitCases(subject: () => Promise<Subject>): void {
  it('createCommit on the tip tree: a new SHA whose message and tree read back; a branch may point at it', async () => {
    const { gh, port } = await subject();
    const github = port();
    const tip = (await github.getRefSha('heads/main')) as string;
    const tipCommit = await github.getCommit(tip);
    expect(tipCommit?.treeSha).toMatch(/^[0-9a-f]{40}$/);
    const message = 'deploy-request hold: staging\n\nmigration\n\n{"k":"hold"}\n[dr1:x]';
    const sha = await github.createCommit(message, tipCommit!.treeSha);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(sha).not.toBe(tip);
    expect(await github.getCommit(sha)).toEqual({ message, treeSha: tipCommit!.treeSha });
    // It moves no branch until a ref points at it; then its files are the tip's.
    expect(gh.branch('main')).toBe(tip);
    expect(await github.createRef('heads/deploy-request/hold/staging', sha)).toBe(true);
    expect(await github.getFileText('README.md', 'deploy-request/hold/staging')).toBe('# app\n');
  });

  it('createCommit on a tree GitHub does not have: GitHubConflictError (422 Tree SHA does not exist)', async () => {
    const { port } = await subject();
    const error = await failure(port().createCommit('x', 'f'.repeat(40)));
    expect(error).toBeInstanceOf(GitHubConflictError);
    expect(error).toMatchObject({ status: 422, githubMessage: 'Tree SHA does not exist' });
  });

  it('getCommit of a SHA that is not there: null', async () => {
    const { port } = await subject();
    expect(await port().getCommit('e'.repeat(40))).toBeNull();
  });

  it('permissions: createCommit takes contents: write, getCommit contents: read', async () => {
    const { gh, port } = await subject();
    const tip = gh.branch('main') as string;
    const readOnly = port({ token: gh.tokens.readOnly });
    const tree = (await readOnly.getCommit(tip))!.treeSha;
    const refused = await failure(readOnly.createCommit('x', tree));
    expect(refused).toBeInstanceOf(GitHubForbiddenError);
    expect(refused.message).toMatch(/^GitHub refused to create a commit \(403: /);
    expect(refused.message).toContain('The workflow needs `permissions: contents: write`');
    const none = await failure(port({ token: gh.tokenFor({}) }).getCommit(tip));
    expect(none.message).toContain('The workflow needs `permissions: contents: read`');
  });
}
