// The GitHub port over the real Octokit client, against the GitHub stand-in: GitHub's shapes
// mapped to plain data, pagination, refusals turned into messages naming the permission, and
// writes GitHub must not apply twice kept single when GitHub answers 502 (after the write or not).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/github/client.js';
import { refusedMessage } from '../../../src/github/permissions.js';
import { createGitHubPort } from '../../../src/github/octokit-port.js';
import {
  FileTooLargeError,
  GitHubAccessError,
  GitHubUnavailableError,
  type GitHubPort,
} from '../../../src/github/port.js';
import { GitHubStandIn } from '../../support/github-stand-in/index.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let logs: string[];

function portFor(token: string, membersToken?: string): GitHubPort {
  const log = (line: string) => logs.push(line);
  return createGitHubPort(
    createClient({ token, baseUrl: gh.url, log }),
    { owner: gh.owner, repo: gh.repo },
    membersToken ? createClient({ token: membersToken, baseUrl: gh.url, log }) : undefined,
    { settleMs: 0 },
  );
}

beforeEach(async () => {
  gh = new GitHubStandIn({
    files: {
      'README.md': '# app\n',
      'dir/a.txt': 'a',
      '.github/workflows/deploy.yml':
        'on:\n  workflow_dispatch:\n    inputs:\n      pull-request: {}\n',
      '.github/workflows/ci.yml': 'on: push\n',
    },
    teams: { ops: ['olga', 'oscar'] },
  });
  await gh.start();
  logs = [];
  port = portFor(gh.tokens.write, gh.tokens.members);
});
afterEach(() => gh.close());

const refused = (status: number) => ({ status, body: { message: `injected ${status}` } });

describe('repository and files', () => {
  it('default branch; file text at a ref; a directory or a missing file is null', async () => {
    expect(await port.getDefaultBranch()).toBe('main');
    const sha = gh.commitOn('main', { 'cfg.yml': 'version: 1\nü\n' });
    expect(await port.getFileText('cfg.yml', sha)).toBe('version: 1\nü\n');
    expect(await port.getFileText('dir', sha)).toBeNull();
    expect(await port.getFileText('nope.yml', sha)).toBeNull();
  });

  it('getFile: the text and its blob SHA, which changes with any edit (the digest binds it)', async () => {
    const first = gh.commitOn('main', { 'cfg.yml': 'version: 1\n' });
    const a = await port.getFile('cfg.yml', first);
    expect(a).toEqual({ text: 'version: 1\n', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const second = gh.commitOn('main', { 'cfg.yml': '# note\nversion: 1\n' });
    expect((await port.getFile('cfg.yml', second))?.sha).not.toBe(a?.sha);
    expect(await port.getFile('cfg.yml', first)).toEqual(a);
    expect(await port.getFile('nope.yml', second)).toBeNull();
  });

  it('a non-file entry (symlink, submodule) is null; a file without content is empty', async () => {
    gh.inject({ path: '/contents/link', status: 200, body: { type: 'symlink', target: 'x' } });
    expect(await port.getFileText('link', 'main')).toBeNull();
    gh.inject({ path: '/contents/empty', status: 200, body: { type: 'file', name: 'empty' } });
    expect(await port.getFileText('empty', 'main')).toBe('');
  });

  it('a file over 1 MiB (sent without content) is FileTooLargeError, never empty', async () => {
    gh.inject({
      path: '/contents/big.yml',
      status: 200,
      body: { type: 'file', encoding: 'none', size: 2_000_000, content: '' },
    });
    const error = await port.getFileText('big.yml', 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toMatchObject({
      path: 'big.yml',
      size: 2_000_000,
      message: 'big.yml is 2000000 bytes, too large to read',
    });
    gh.inject({
      path: '/contents/empty.yml',
      status: 200,
      body: { type: 'file', encoding: 'none', size: 0, content: '' },
    });
    expect(await port.getFileText('empty.yml', 'main')).toBe('');
  });

  it('other errors reading a file propagate; a 403 names the permission (permissions.ts)', async () => {
    gh.inject({ path: '/contents/cfg.yml', status: 400, body: { message: 'nope' } });
    await expect(port.getFileText('cfg.yml', 'main')).rejects.toMatchObject({ status: 400 });
    gh.inject({ path: '/contents/cfg.yml', status: 403, body: { message: 'nope' } });
    await expect(port.getFileText('cfg.yml', 'main')).rejects.toThrow(
      /^GitHub refused to read a file \(403: nope.*\)\. The workflow needs `permissions: contents: read`/,
    );
  });

  it('every call the job token makes is refused with the permission GitHub asks for', async () => {
    const none = portFor(gh.tokenFor({}));
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const checks: [() => Promise<unknown>, string][] = [
      [() => none.getPull(number), 'pull-requests: read'],
      [() => none.listComments(number), 'pull-requests: read'],
      [() => none.getRefSha('heads/main'), 'contents: read'],
      [() => none.deleteRef('heads/x'), 'contents: write'],
      [() => none.createRef('heads/x', headSha), 'contents: write'],
      [() => none.listDeployments('staging'), 'deployments: read'],
      [() => none.latestDeploymentStatus(1), 'deployments: read'],
      [() => none.listStatuses(headSha), 'statuses: read'],
      [() => none.addReaction(1, 'eyes'), 'pull-requests: write'],
    ];
    for (const [call, permission] of checks) {
      await expect(call()).rejects.toThrow(`The workflow needs \`permissions: ${permission}\``);
    }
    expect(refusedMessage('createRef', undefined)).toMatch(
      /^GitHub refused to create the environment lock \(403: forbidden\)/,
    );
    // The repository itself is metadata: readable with no permission at all.
    expect(await none.getDefaultBranch()).toBe('main');
  });
});

describe('pull requests', () => {
  it('a pull request as plain data, with requested reviewers', async () => {
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    await port.requestReviewers(number, ['alice'], ['ops']);
    const pull = await port.getPull(number);
    expect(pull).toEqual({
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
      htmlUrl: expect.stringContaining(`/pull/${number}`),
      requestedUsers: ['alice'],
      requestedTeams: ['ops'],
    });
  });

  it('missing lists and a deleted fork: empty lists, null head repository; bot authors', async () => {
    const { number } = gh.openPull({ author: 'renovate[bot]', headFiles: { 'x.txt': 'x' } });
    const live = await port.getPull(number);
    expect(live.authorIsBot).toBe(true);
    gh.inject({
      method: 'GET',
      path: `/pulls/${number}`,
      status: 200,
      body: {
        number,
        state: 'closed',
        merged: null,
        draft: undefined,
        user: { login: 'someone', type: 'User' },
        head: { sha: 'h', repo: null },
        base: { sha: 'b', ref: 'main' },
        html_url: 'u',
      },
    });
    expect(await port.getPull(number)).toMatchObject({
      state: 'closed',
      merged: false,
      draft: false,
      authorIsBot: false,
      headRepoFullName: null,
      requestedUsers: [],
      requestedTeams: [],
    });
  });

  it('all files of a large pull request, across pages', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 130 }, (_, i) => [`f/${String(i).padStart(3, '0')}.txt`, `${i}`]),
    );
    const { number } = gh.openPull({ author: 'dev', headFiles: files });
    const listed = await port.listPullFiles(number);
    expect(listed).toHaveLength(130);
    expect(listed[0]).toEqual({
      filename: 'f/000.txt',
      status: 'added',
      previousFilename: undefined,
    });
    expect(gh.count({ path: `/pulls/${number}/files` })).toBe(2);
  });

  it('reviews in order; a deleted user is ghost; missing commit and time are empty', async () => {
    const { number, headSha } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.review(number, 'alice', 'APPROVED');
    gh.review(number, 'ci[bot]', 'COMMENTED');
    const reviews = await port.listReviews(number);
    expect(reviews.map((r) => [r.user, r.userIsBot, r.state, r.commitId])).toEqual([
      ['alice', false, 'APPROVED', headSha],
      ['ci[bot]', true, 'COMMENTED', headSha],
    ]);
    expect(reviews[0]!.submittedAt).toMatch(/^\d{4}-/);
    gh.inject({
      method: 'GET',
      path: `/pulls/${number}/reviews`,
      status: 200,
      body: [{ id: 1, user: null, state: 'APPROVED', commit_id: null }],
    });
    expect(await port.listReviews(number)).toEqual([
      { id: 1, user: 'ghost', userIsBot: false, state: 'APPROVED', commitId: '', submittedAt: '' },
    ]);
  });

  it('review requests: nothing to ask is no call; a 403 names the permission', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.clearCalls();
    await port.requestReviewers(number, [], []);
    expect(gh.count()).toBe(0);
    const readOnly = portFor(gh.tokens.readOnly);
    const error = await readOnly.requestReviewers(number, ['alice'], []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect((error as Error).message).toMatch(
      /^GitHub refused to request reviewers \(403: .+\)\. The workflow needs `permissions: pull-requests: write`/,
    );
  });
});

describe('comments and reactions', () => {
  it('create, update, list (bots recognised), react', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.comment(number, 'dev', 'hello');
    const mine = await port.createComment(number, 'status');
    expect(mine).toMatchObject({ user: 'github-actions[bot]', userIsBot: true, body: 'status' });
    await port.updateComment(mine.id, 'status 2');
    await port.addReaction(mine.id, 'rocket');
    const list = await port.listComments(number);
    expect(list.map((c) => [c.user, c.userIsBot, c.body])).toEqual([
      ['dev', false, 'hello'],
      ['github-actions[bot]', true, 'status 2'],
    ]);
    expect(gh.reactions(mine.id)).toEqual([{ user: 'github-actions[bot]', content: 'rocket' }]);
  });

  it('a comment of a deleted user, without a body', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.inject({
      method: 'GET',
      path: `/issues/${number}/comments`,
      status: 200,
      body: [{ id: 5, user: null, created_at: 'c', updated_at: 'u' }],
    });
    expect(await port.listComments(number)).toEqual([
      { id: 5, user: 'ghost', userIsBot: false, body: '', createdAt: 'c', updatedAt: 'u' },
    ]);
  });

  it('a read-only token: comment and update refused with the permission; other errors as they are', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const id = gh.comment(number, 'dev', 'x');
    const readOnly = portFor(gh.tokens.readOnly);
    await expect(readOnly.createComment(number, 'x')).rejects.toThrow(
      /GitHub refused to comment on the pull request \(403: Resource not accessible by integration.*\)/,
    );
    await expect(readOnly.updateComment(id, 'x')).rejects.toThrow(/update a comment/);
    gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...refused(422) });
    await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 422 });
    gh.inject({ method: 'POST', path: `/issues/${number}/comments`, status: 403, body: {} });
    await expect(port.createComment(number, 'x')).rejects.toThrow(/\(403: .*\)/);
  });
});

describe('statuses', () => {
  it('set (description cut at 140 characters with …) and list; optional fields', async () => {
    const sha = gh.branch('main')!;
    await port.setStatus(sha, {
      context: 'ctx/a',
      state: 'pending',
      description: 'x'.repeat(200),
      targetUrl: 'https://run',
    });
    await port.setStatus(sha, { context: 'ctx/b', state: 'success', description: 'short' });
    const stored = gh.statuses(sha);
    expect(stored[0]!.description).toBe(`${'x'.repeat(139)}…`);
    expect(await port.listStatuses(sha)).toEqual(
      expect.arrayContaining([
        {
          context: 'ctx/a',
          state: 'pending',
          description: `${'x'.repeat(139)}…`,
          targetUrl: 'https://run',
        },
        { context: 'ctx/b', state: 'success', description: 'short', targetUrl: undefined },
      ]),
    );
    gh.inject({
      method: 'GET',
      path: `/commits/${sha}/status`,
      status: 200,
      body: { statuses: [{ context: 'c', state: 'error', description: null, target_url: null }] },
    });
    expect(await port.listStatuses(sha)).toEqual([
      { context: 'c', state: 'error', description: '', targetUrl: undefined },
    ]);
  });
});

describe('teams', () => {
  it('members through the members token; without it the workflow token is refused with the fix', async () => {
    expect(await port.listTeamMembers(gh.owner, 'ops')).toEqual(['olga', 'oscar']);
    const plain = portFor(gh.tokens.write);
    const error = await plain.listTeamMembers(gh.owner, 'ops').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect((error as Error).message).toMatch(
      /^Cannot read the members of team acme\/ops \(403\)\. .*`members-token` input/,
    );
    await expect(port.listTeamMembers(gh.owner, 'nope')).rejects.toThrow(/acme\/nope \(404\)/);
    gh.inject({ path: '/orgs/acme/teams/ops/members', ...refused(400) });
    await expect(port.listTeamMembers(gh.owner, 'ops')).rejects.toMatchObject({ status: 400 });
  });
});

describe('workflow dispatch', () => {
  it('dispatches by the workflow file name on a ref; 403 names actions: write', async () => {
    await port.dispatchWorkflow('.github/workflows/deploy.yml', 'main', { 'pull-request': '7' });
    expect(gh.dispatches()).toEqual([
      expect.objectContaining({
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: { 'pull-request': '7' },
      }),
    ]);
    await port.dispatchWorkflow('deploy.yml', 'main', {});
    expect(gh.dispatches()).toHaveLength(2);
    await expect(
      portFor(gh.tokens.readOnly).dispatchWorkflow('deploy.yml', 'main', {}),
    ).rejects.toThrow(/permissions: actions: write/);
  });

  it("GitHub's refusals say which and what to fix: no file (404), no trigger or a wrong input (422)", async () => {
    const refusal = (file: string, inputs: Record<string, string>) =>
      port.dispatchWorkflow(file, 'main', inputs).catch((e: unknown) => e);
    const missing = await refusal('.github/workflows/gone.yml', {});
    expect(missing).toBeInstanceOf(GitHubAccessError);
    expect((missing as Error).message).toBe(
      'The hand-over could not start the trusted run: GitHub has no workflow `.github/workflows/gone.yml` on `main` (404). Commit that file to the default branch `main` (docs/examples/workflows/deploy-request.yml), then re-run this job.',
    );
    expect(((await refusal('.github/workflows/ci.yml', {})) as Error).message).toMatch(
      /^The hand-over could not start the trusted run: GitHub refused to dispatch `\.github\/workflows\/ci\.yml` on `main` \(422: Workflow does not have 'workflow_dispatch' trigger\)\. The copy on `main` needs an `on: workflow_dispatch` trigger declaring the input `pull-request`/,
    );
    expect(((await refusal('deploy.yml', { other: '1' })) as Error).message).toContain(
      '(422: Unexpected inputs provided: ["other"])',
    );
    gh.inject({ method: 'POST', path: /\/dispatches$/, status: 422 });
    expect(((await refusal('deploy.yml', {})) as Error).message).toContain('(422: Injected fault)');
    gh.inject({ method: 'POST', path: /\/dispatches$/, status: 422, body: {} });
    expect(((await refusal('deploy.yml', {})) as Error).message).toContain('(422)');
    expect(gh.dispatches()).toEqual([]);
  });
});

describe('deployments', () => {
  it('create (required_contexts empty), list by environment and sha, statuses, newest status', async () => {
    const sha = gh.branch('main')!;
    gh.setStatus(sha, { context: 'ci', state: 'pending' });
    const created = await port.createDeployment({
      ref: sha,
      environment: 'staging',
      payload: { pr: 7, digest: 'd' },
      description: 'web 1.4.2',
    });
    expect(created).toMatchObject({ sha, environment: 'staging', payload: { pr: 7, digest: 'd' } });
    expect(await port.latestDeploymentStatus(created.id)).toBeNull();
    await port.createDeploymentStatus(created.id, 'queued');
    await port.createDeploymentStatus(created.id, 'in_progress', {
      description: 'y'.repeat(150),
      logUrl: 'https://log',
      environmentUrl: 'https://env',
    });
    expect(await port.latestDeploymentStatus(created.id)).toEqual({
      state: 'in_progress',
      createdAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(gh.deploymentStatuses(created.id).map((s) => s.description)).toEqual([
      '',
      `${'y'.repeat(139)}…`,
    ]);
    expect((await port.listDeployments('staging', sha)).map((d) => d.id)).toEqual([created.id]);
    expect(await port.listDeployments('production')).toEqual([]);
  });

  it('a payload stored as a string is parsed; broken or missing payloads are empty', async () => {
    gh.inject({
      method: 'GET',
      path: '/deployments',
      status: 200,
      body: [
        { id: 1, sha: 's', environment: 'e', payload: '{"pr":3}', created_at: 'c' },
        { id: 2, sha: 's', environment: 'e', payload: '{broken', created_at: 'c' },
        { id: 3, sha: 's', environment: 'e', payload: null, created_at: 'c' },
      ],
    });
    expect((await port.listDeployments('e')).map((d) => d.payload)).toEqual([{ pr: 3 }, {}, {}]);
  });

  it('a deployment GitHub merged instead of creating (202) is an error; 403 names the permission', async () => {
    gh.inject({
      method: 'POST',
      path: '/deployments',
      status: 202,
      body: { message: 'Auto-merged main into topic' },
    });
    await expect(
      port.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow('GitHub did not create the deployment: Auto-merged main into topic');
    gh.inject({ method: 'POST', path: '/deployments', status: 202, body: {} });
    await expect(
      port.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow(/^GitHub did not create the deployment: $/);
    const readOnly = portFor(gh.tokens.readOnly);
    await expect(
      readOnly.createDeployment({ ref: 'main', environment: 'e', payload: {}, description: '' }),
    ).rejects.toThrow(/deployments: write/);
    await expect(readOnly.createDeploymentStatus(1, 'queued')).rejects.toThrow(
      /GitHub refused to update the deployment/,
    );
  });
});

describe('refs (the environment lock)', () => {
  it('create once (a second create is false), read, delete; absent refs are null; deleting twice is fine', async () => {
    const sha = gh.branch('main')!;
    expect(await port.createRef('heads/lock/x', sha)).toBe(true);
    expect(await port.createRef('heads/lock/x', sha)).toBe(false);
    expect(await port.getRefSha('heads/lock/x')).toBe(sha);
    await port.deleteRef('heads/lock/x');
    expect(await port.getRefSha('heads/lock/x')).toBeNull();
    await port.deleteRef('heads/lock/x');
    gh.inject({ method: 'DELETE', path: /\/git\/refs\//, ...refused(422) });
    await port.deleteRef('heads/lock/x');
  });

  it('refusals and server errors propagate', async () => {
    const sha = gh.branch('main')!;
    await expect(portFor(gh.tokens.readOnly).createRef('heads/l', sha)).rejects.toThrow(
      /create the environment lock .*contents: write/,
    );
    gh.inject({ method: 'POST', path: '/git/refs', ...refused(400) });
    await expect(port.createRef('heads/l', sha)).rejects.toMatchObject({ status: 400 });
    gh.inject({ method: 'GET', path: /\/git\/ref\//, ...refused(400) });
    await expect(port.getRefSha('heads/l')).rejects.toMatchObject({ status: 400 });
    gh.inject({ method: 'DELETE', path: /\/git\/refs\//, ...refused(400) });
    await expect(port.deleteRef('heads/l')).rejects.toMatchObject({ status: 400 });
  });
});

describe('release assets', () => {
  const bytes = Buffer.from('artifact bytes \x00\xff binary');
  const read = async (body: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  it('lists the size, then streams the bytes from the redirect host, which never gets the token', async () => {
    gh.createRelease('v1', { assets: { 'other.tgz': Buffer.from('x'), 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    expect(asset.size).toBe(bytes.length);
    expect(await gh.assetHostCalls()).toEqual([]);
    expect(await read(await asset.open())).toEqual(bytes);
    const calls = await gh.assetHostCalls();
    expect(calls).toMatchObject([{ authorization: null, status: 200 }]);
    // The API got the token and answered 302; the bytes came from the other origin.
    expect(gh.calls({ path: /\/releases\/assets\// })).toMatchObject([
      { status: 302, token: gh.tokens.write },
    ]);
  });

  it('link(): the signed URL of the 302, for a server to fetch without the token; none when GitHub serves the bytes itself', async () => {
    gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    const link = new URL(await asset.link());
    expect(link.origin).toBe(gh.assetHostUrl);
    expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // Not followed: the link is for the servers, the runner downloads nothing.
    expect(await gh.assetHostCalls()).toEqual([]);
    expect(gh.calls({ path: /\/releases\/assets\// })).toMatchObject([{ status: 302 }]);
    expect(Buffer.from(await (await fetch(link)).arrayBuffer())).toEqual(bytes);
    gh.inject({ path: /\/releases\/assets\//, status: 200, body: 'direct' });
    await expect(asset.link()).rejects.toThrow(
      'GitHub answered 200 without a download link (it served the asset itself), so servers cannot fetch it without the token; set `deploy.transfer: push` for this environment',
    );
  });

  it('takes the bytes from the API itself when it answers 200 (GitHub may stream them directly)', async () => {
    gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    gh.inject({
      path: /\/releases\/assets\//,
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: 'direct',
    });
    expect((await read(await asset.open())).toString()).toBe('"direct"');
    expect(await gh.assetHostCalls()).toEqual([]);
  });

  it('names what to fix: no such release, no such asset (with the ones there are)', async () => {
    await expect(port.findReleaseAsset('v9', 'web.tgz')).rejects.toThrow(
      'this repository has no release with tag v9 (GitHub answered 404); publish the release, or fix `artifact.release_asset.tag`',
    );
    gh.createRelease('v1', { assets: { 'a.tgz': bytes } });
    gh.createRelease('v2');
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toThrow(
      'release v1 has no asset named web.tgz; its assets: a.tgz. Upload it, or fix `artifact.release_asset.name`',
    );
    await expect(port.findReleaseAsset('v2', 'web.tgz')).rejects.toThrow('its assets: none.');
  });

  it('a token without contents: read, and other GitHub failures', async () => {
    gh.inject({
      path: '/releases/tags/v1',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toThrow(
      /GitHub refused to read a release asset.*`permissions: contents: read`/,
    );
    gh.inject({ path: '/releases/tags/v1', status: 400, body: { message: 'Bad' } });
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toMatchObject({ status: 400 });
  });

  it('the redirect host failing: expired link, unreachable, a 302 without Location, a 204 without body', async () => {
    gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    const expired = `${gh.assetHostUrl}/github-production-release-asset/1/2?X-Amz-Date=1&X-Amz-Signature=secret`;
    gh.inject({ path: /\/releases\/assets\//, status: 302, headers: { location: expired } });
    const failure = asset.open().catch((e: Error) => e.message);
    expect(await failure).toBe(
      `the download host ${gh.assetHostUrl} answered HTTP 403; try again (its links expire after a few minutes)`,
    );
    expect(await failure).not.toContain('secret');
    gh.inject({
      path: /\/releases\/assets\//,
      status: 302,
      headers: { location: 'http://127.0.0.1:1/x?sig=secret' },
    });
    const unreachable = await asset.open().catch((e: Error) => e.message);
    expect(unreachable).toMatch(
      /^the download host http:\/\/127\.0\.0\.1:1 could not be reached: /,
    );
    expect(unreachable).not.toContain('secret');
    const aborted = new AbortController();
    aborted.abort();
    await expect(asset.open(aborted.signal)).rejects.toThrow(
      `the download host ${gh.assetHostUrl} could not be reached: This operation was aborted`,
    );
    gh.inject({ path: /\/releases\/assets\//, status: 302 });
    await expect(asset.open()).rejects.toThrow('GitHub answered 302 without a Location');
    gh.inject({ path: /\/releases\/assets\//, status: 204 });
    await expect(asset.open()).rejects.toThrow('GitHub answered 204 with no body');
  });
});

describe('writes GitHub must not apply twice: a 502 is checked, never blindly retried', () => {
  const BAD_GATEWAY = { status: 502, body: { message: 'Server Error' } };
  /** GitHub did the write, then answered 502. */
  const appliedThen502 = { ...BAD_GATEWAY, afterApply: true };
  const answers = (method: string, path: RegExp | string) =>
    gh.calls({ method, path }).map((c) => c.status);

  describe('comment', () => {
    it('made, then 502: the comment is found by its body and author and returned; one exists', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...appliedThen502 });
      const made = await port.createComment(number, 'prompt');
      const [only, ...more] = gh.comments(number);
      expect(more).toEqual([]);
      expect(made).toMatchObject({ id: only!.id, user: 'github-actions[bot]', body: 'prompt' });
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502]);
      // GITHUB_TOKEN cannot read /user: its comments are the bot's.
      expect(answers('GET', '/user')).toEqual([403]);
    });

    it('502 without the write: sent once more, one comment', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      const made = await port.createComment(number, 'prompt');
      expect(gh.comments(number).map((c) => [c.id, c.body])).toEqual([[made.id, 'prompt']]);
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502, 201]);
    });

    it('the same text from an earlier run, or by someone else, is not taken for ours', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      const earlier = await port.createComment(number, 'help');
      gh.clock.advance(3_600_000);
      const pasted = gh.comment(number, 'dev', 'help');
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      const made = await port.createComment(number, 'help');
      expect([earlier.id, pasted]).not.toContain(made.id);
      expect(gh.comments(number).map((c) => c.user)).toEqual([
        'github-actions[bot]',
        'dev',
        'github-actions[bot]',
      ]);
    });

    it("a user's token: the comment is the one by that user", async () => {
      gh.addToken('pat-deployer', { login: 'deployer', write: true });
      const deployer = portFor('pat-deployer');
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      await port.createComment(number, 'note'); // the bot's, not the token's user's
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...appliedThen502 });
      const made = await deployer.createComment(number, 'note');
      expect(made.user).toBe('deployer');
      expect(gh.comments(number).map((c) => c.user)).toEqual(['github-actions[bot]', 'deployer']);
      expect(answers('GET', '/user')).toEqual([200]);
    });

    it('GitHub failing again, or an error while looking, is thrown; other errors are not retried', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, times: 2, ...BAD_GATEWAY });
      const error = await port.createComment(number, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubUnavailableError);
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502, 502]);

      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      gh.inject({ method: 'GET', path: '/user', ...refused(400) });
      await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 400 });

      gh.clearCalls();
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...refused(422) });
      await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 422 });
      expect(gh.count()).toBe(1);
      expect(gh.comments(number)).toEqual([]);
    });

    it("without a date in GitHub's answer, the runner's clock tells when the run began", async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.clock.advance(60_000); // GitHub's clock a minute ahead: its comment is of this run
      gh.inject({
        method: 'POST',
        path: `/issues/${number}/comments`,
        ...appliedThen502,
        headers: { date: 'not a date' },
      });
      const made = await port.createComment(number, 'prompt');
      expect(gh.comments(number).map((c) => c.id)).toEqual([made.id]);
    });
  });

  describe('Deployment', () => {
    const prompt = (payload: Record<string, unknown>) => ({
      ref: gh.branch('main')!,
      environment: 'staging',
      payload,
      description: 'web 1.4.2',
    });

    it('made, then 502: the Deployment with this payload is found and returned; one exists', async () => {
      gh.inject({ method: 'POST', path: '/deployments', ...appliedThen502 });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd', note: undefined }));
      const [only, ...more] = gh.deployments('staging');
      expect(more).toEqual([]);
      expect(made).toMatchObject({ id: only!.id, payload: { pr: 7, digest: 'd' } });
      expect(answers('POST', '/deployments')).toEqual([502]);
    });

    it('502 without the write: sent once more, one Deployment', async () => {
      gh.inject({ method: 'POST', path: '/deployments', ...BAD_GATEWAY });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      expect(gh.deployments().map((d) => d.id)).toEqual([made.id]);
      expect(answers('POST', '/deployments')).toEqual([502, 201]);
    });

    it('another plan, or the same plan from an earlier run, is not taken for ours', async () => {
      const earlier = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      gh.clock.advance(3_600_000);
      const other = await port.createDeployment(prompt({ pr: 7, digest: 'e' }));
      gh.inject({ method: 'POST', path: '/deployments', ...BAD_GATEWAY });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      expect([earlier.id, other.id]).not.toContain(made.id);
      expect(gh.deployments()).toHaveLength(3);
    });
  });

  describe('lock ref', () => {
    it('made, then 502: the ref points at our SHA, so it is ours; one exists', async () => {
      const sha = gh.branch('main')!;
      gh.inject({ method: 'POST', path: '/git/refs', ...appliedThen502 });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(true);
      expect(await port.getRefSha('heads/deploy-request/lock/staging')).toBe(sha);
      expect(answers('POST', '/git/refs')).toEqual([502]);
    });

    it('502 without the write: sent once more and made', async () => {
      const sha = gh.branch('main')!;
      gh.inject({ method: 'POST', path: '/git/refs', ...BAD_GATEWAY });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(true);
      expect(answers('POST', '/git/refs')).toEqual([502, 201]);
    });

    it('502 and the ref points elsewhere: someone else holds it, the retry says so', async () => {
      const sha = gh.branch('main')!;
      const theirs = gh.commitOn('main', { 'y.txt': 'y' });
      await port.createRef('heads/deploy-request/lock/staging', theirs);
      gh.inject({ method: 'POST', path: '/git/refs', ...BAD_GATEWAY });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(false);
      expect(answers('POST', '/git/refs')).toEqual([201, 502, 422]);
      expect(await port.getRefSha('heads/deploy-request/lock/staging')).toBe(theirs);
    });
  });

  describe('workflow dispatch (nothing to read back: one more try at most)', () => {
    it('502 without the dispatch: sent once more, one dispatch', async () => {
      gh.inject({ method: 'POST', path: /\/dispatches$/, ...BAD_GATEWAY });
      await port.dispatchWorkflow('deploy.yml', 'main', { 'pull-request': '7' });
      expect(gh.dispatches()).toHaveLength(1);
      expect(answers('POST', /\/dispatches$/)).toEqual([502, 204]);
    });

    it('dispatched, then 502: a second dispatch (the trusted run is idempotent); two 502s are thrown', async () => {
      gh.inject({ method: 'POST', path: /\/dispatches$/, ...appliedThen502 });
      await port.dispatchWorkflow('deploy.yml', 'main', {});
      expect(gh.dispatches()).toHaveLength(2);
      gh.inject({ method: 'POST', path: /\/dispatches$/, times: 3, ...BAD_GATEWAY });
      await expect(port.dispatchWorkflow('deploy.yml', 'main', {})).rejects.toBeInstanceOf(
        GitHubUnavailableError,
      );
      expect(answers('POST', /\/dispatches$/)).toEqual([502, 204, 502, 502]);
      expect(gh.dispatches()).toHaveLength(2);
    });
  });
});
