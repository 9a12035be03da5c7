// Contract cases for the repository calls: files, refs, release assets, workflow dispatch, team
// members, and refusals for lack of permission or a bad token.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import {
  FileTooLargeError,
  GitHubAccessError,
  GitHubForbiddenError,
} from '../../../../src/github/errors.js';
import type { GitHubPort } from '../../../../src/github/port.js';
import { ReleaseAssetError } from '../../../../src/github/release-asset.js';
import { failure, type Subject } from './subject.js';

/** What `git hash-object` says: the contents API's `sha` of a file. */
function gitBlobSha(text: string): string {
  const data = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function repoCases(subject: () => Promise<Subject>): void {
  it('files: the default branch; text and blob SHA at a ref; absent, a directory or an unknown ref is null', async () => {
    const { gh, port } = await subject();
    const github = port();
    expect(await github.getDefaultBranch()).toBe('main');
    const sha = gh.commitOn('main', { 'cfg.yml': 'version: 1\nü\n' });
    expect(await github.getFileText('cfg.yml', sha)).toBe('version: 1\nü\n');
    expect(await github.getFile('cfg.yml', 'main')).toEqual({
      text: 'version: 1\nü\n',
      sha: gitBlobSha('version: 1\nü\n'),
    });
    expect(await github.getFileText('nope.yml', sha)).toBeNull();
    expect(await github.getFileText('dir', sha)).toBeNull();
    expect(await github.getFile('cfg.yml', 'no-such-branch')).toBeNull();
  });

  it('files: over 1 MiB is FileTooLargeError with the size, never empty text', async () => {
    const { gh, port } = await subject();
    gh.commitOn('main', { 'big.txt': 'x'.repeat(1024 * 1024 + 1) });
    const error = await failure(port().getFileText('big.txt', 'main'));
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toMatchObject({ path: 'big.txt', size: 1024 * 1024 + 1 });
  });

  it('refs: createRef is atomic (true, then false while it exists); getRefSha; deleteRef, also when absent', async () => {
    const { gh, port } = await subject();
    const github = port();
    const main = gh.branch('main') as string;
    const other = gh.commit({ 'x.txt': 'x' }, main);
    expect(await github.createRef('heads/deploy-request/lock/staging', main)).toBe(true);
    expect(await github.createRef('heads/deploy-request/lock/staging', main)).toBe(false);
    expect(await github.createRef('heads/deploy-request/lock/staging', other)).toBe(false);
    expect(await github.getRefSha('heads/deploy-request/lock/staging')).toBe(main);
    expect(gh.branch('deploy-request/lock/staging')).toBe(main);
    expect(await github.getRefSha('heads/absent')).toBeNull();
    await github.deleteRef('heads/deploy-request/lock/staging');
    expect(await github.getRefSha('heads/deploy-request/lock/staging')).toBeNull();
    await expect(github.deleteRef('heads/deploy-request/lock/staging')).resolves.toBeUndefined();
    // GitHub answers 422 for a commit it does not have, as for an existing ref: false too.
    expect(await github.createRef('heads/x', 'f'.repeat(40))).toBe(false);
    expect(gh.branch('x')).toBeUndefined();
  });

  it('release assets: the listed size and the bytes; no release, a draft or no asset say what to fix', async () => {
    const { gh, port } = await subject();
    const github = port();
    gh.createRelease('v1', {
      assets: { 'app.tgz': Buffer.from('bytes'), 'b.tgz': Buffer.from('') },
    });
    gh.createRelease('v2', { draft: true, assets: { 'app.tgz': Buffer.from('draft') } });
    const asset = await github.findReleaseAsset('v1', 'app.tgz');
    expect(asset.size).toBe(5);
    expect(await text(await asset.open())).toBe('bytes');
    for (const tag of ['v0', 'v2']) {
      const error = await failure(github.findReleaseAsset(tag, 'app.tgz'));
      expect(error).toBeInstanceOf(ReleaseAssetError);
      expect(error.message).toBe(
        `this repository has no release with tag ${tag} (GitHub answered 404); publish the release, or fix \`artifact.release_asset.tag\``,
      );
    }
    await expect(github.findReleaseAsset('v1', 'c.tgz')).rejects.toThrow(
      'release v1 has no asset named c.tgz; its assets: app.tgz, b.tgz. Upload it, or fix `artifact.release_asset.name`',
    );
  });

  it('workflow dispatch: recorded with its ref and inputs, by the workflow file name', async () => {
    const { gh, port } = await subject();
    await port().dispatchWorkflow('.github/workflows/deploy.yml', 'main', { 'pull-request': '7' });
    expect(gh.dispatches()).toMatchObject([
      { workflow: 'deploy.yml', ref: 'main', inputs: { 'pull-request': '7' } },
    ]);
  });

  it('workflow dispatch: no such workflow (404), no trigger or an undeclared input (422) are GitHubAccessError saying what to fix', async () => {
    const { gh, port } = await subject();
    const github = port();
    const missing = await failure(
      github.dispatchWorkflow('.github/workflows/nope.yml', 'main', {}),
    );
    expect(missing).toBeInstanceOf(GitHubAccessError);
    expect(missing.message).toBe(
      'The hand-over could not start the trusted run: GitHub has no workflow `.github/workflows/nope.yml` on `main` (404). Commit that file to the default branch `main` (docs/examples/workflows/deploy-request.yml), then re-run this job.',
    );
    const noTrigger = await failure(
      github.dispatchWorkflow('.github/workflows/ci.yml', 'main', {}),
    );
    expect(noTrigger).toBeInstanceOf(GitHubAccessError);
    expect(noTrigger.message).toContain(
      "(422: Workflow does not have 'workflow_dispatch' trigger)",
    );
    const input = await failure(
      github.dispatchWorkflow('.github/workflows/deploy.yml', 'main', {
        'pull-request': '1',
        x: 'y',
      }),
    );
    expect(input.message).toContain('(422: Unexpected inputs provided: ["x"])');
    expect(gh.dispatches()).toEqual([]);
  });

  it('team members: read with the members token; without it, or for an unknown team, GitHubAccessError naming the fix', async () => {
    const { port } = await subject();
    expect(await port().listTeamMembers('acme', 'ops')).toEqual(['olga', 'oscar']);
    const refused = await failure(port({ membersToken: null }).listTeamMembers('acme', 'ops'));
    expect(refused).toBeInstanceOf(GitHubAccessError);
    expect(refused.message).toMatch(
      /^Cannot read the members of team acme\/ops \(403\)\. The workflow's GITHUB_TOKEN cannot read organisation teams: pass a token with `read:org`/,
    );
    const unknown = await failure(port().listTeamMembers('acme', 'nobody'));
    expect(unknown.message).toMatch(/^Cannot read the members of team acme\/nobody \(404\)\./);
  });

  it('permissions: a token without one is GitHubForbiddenError (403) naming it; the repository itself is metadata', async () => {
    const { gh, port } = await subject();
    const none = port({ token: gh.tokenFor({}) });
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const id = gh.comment(number, 'alice', 'hi');
    const checks: [(p: GitHubPort) => Promise<unknown>, string][] = [
      [(p) => p.getFileText('README.md', 'main'), 'contents: read'],
      [(p) => p.getPull(number), 'pull-requests: read'],
      [(p) => p.listComments(number), 'pull-requests: read'],
      [(p) => p.createComment(number, 'x'), 'pull-requests: write'],
      [(p) => p.addReaction(id, 'eyes'), 'pull-requests: write'],
      [(p) => p.getRefSha('heads/main'), 'contents: read'],
      [(p) => p.createRef('heads/x', headSha), 'contents: write'],
      [(p) => p.deleteRef('heads/x'), 'contents: write'],
      [(p) => p.listDeployments('staging'), 'deployments: read'],
      [
        (p) => p.createDeployment({ ref: headSha, environment: 's', payload: {}, description: '' }),
        'deployments: write',
      ],
      [(p) => p.listStatuses(headSha), 'statuses: read'],
      [
        (p) => p.setStatus(headSha, { context: 'c', state: 'success', description: '' }),
        'statuses: write',
      ],
    ];
    for (const [call, permission] of checks) {
      const error = await failure(call(none));
      expect(error).toBeInstanceOf(GitHubForbiddenError);
      expect(error).toMatchObject({ status: 403 });
      expect(error.message).toMatch(
        /^GitHub refused to .* \(403: Resource not accessible by integration/,
      );
      expect(error.message).toContain(`The workflow needs \`permissions: ${permission}\``);
    }
    expect(await none.getDefaultBranch()).toBe('main');
    // A fork's read-only token reads, and is refused writes.
    const readOnly = port({ token: gh.tokens.readOnly });
    expect(await readOnly.listComments(number)).toHaveLength(1);
    await expect(readOnly.createComment(number, 'x')).rejects.toBeInstanceOf(GitHubForbiddenError);
    expect(gh.comments(number)).toHaveLength(1);
  });

  it('an unknown token: GitHubForbiddenError (401) saying to check the token inputs', async () => {
    const { port } = await subject();
    const error = await failure(port({ token: 'ghs_revoked' }).getDefaultBranch());
    expect(error).toBeInstanceOf(GitHubForbiddenError);
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toMatch(/^GitHub did not accept the token \(401: Bad credentials/);
  });
}
