import { describe, expect, test } from 'vitest';
import { repo, standIn, statusOf } from './helpers.js';

describe('repository, contents and refs', () => {
  test('GET /repos/{o}/{r} answers the repository with its default branch and fork flag', async () => {
    const { octokit } = await standIn({ defaultBranch: 'trunk', fork: true });
    const { data } = await octokit().rest.repos.get(repo);
    expect(data).toMatchObject({
      full_name: 'acme/app',
      default_branch: 'trunk',
      fork: true,
      owner: { type: 'Organization' },
    });
  });

  test('contents: base64 at a ref, raw, directories, 404 when absent, big files without content', async () => {
    const { gh, octokit } = await standIn({
      files: { '.github/deploy-request.yml': 'version: 1\n', 'README.md': 'r\n' },
    });
    const head = gh.commitOn('main', {
      '.github/deploy-request.yml': 'version: 2\n',
      'big.bin': 'x'.repeat(1024 * 1024 + 1),
    });
    const base = gh.state.git.get(head)?.parents[0] as string;
    const o = octokit();
    const at = async (ref: string) => {
      const { data } = await o.rest.repos.getContent({
        ...repo,
        path: '.github/deploy-request.yml',
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file') throw new Error('not a file');
      return Buffer.from(data.content, 'base64').toString('utf8');
    };
    expect(await at(base)).toBe('version: 1\n');
    expect(await at('main')).toBe('version: 2\n');
    const raw = await o.rest.repos.getContent({
      ...repo,
      path: 'README.md',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe('r\n');
    const dir = await o.rest.repos.getContent({ ...repo, path: '.github' });
    expect(Array.isArray(dir.data) && dir.data.map((e) => [e.name, e.type])).toEqual([
      ['deploy-request.yml', 'file'],
    ]);
    expect(await statusOf(o.rest.repos.getContent({ ...repo, path: 'nope.yml' }))).toMatchObject({
      status: 404,
    });
    expect(
      await statusOf(
        o.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'no-such-branch' }),
      ),
    ).toMatchObject({
      status: 404,
    });
    const big = await o.rest.repos.getContent({ ...repo, path: 'big.bin' });
    expect(big.data).toMatchObject({ encoding: 'none', content: '', size: 1024 * 1024 + 1 });
  });

  test('creating an existing ref is 422 "Reference already exists" (a lost race)', async () => {
    const { gh, octokit } = await standIn();
    const sha = gh.branch('main') as string;
    const o = octokit();
    const [a, b] = await Promise.allSettled([
      o.rest.git.createRef({ ...repo, ref: 'refs/heads/deploy-lock/staging', sha }),
      o.rest.git.createRef({ ...repo, ref: 'refs/heads/deploy-lock/staging', sha }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const lost = (a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason) as {
      status: number;
      message: string;
    };
    expect(lost.status).toBe(422);
    expect(lost.message).toMatch(/Reference already exists/);
    const got = await o.rest.git.getRef({ ...repo, ref: 'heads/deploy-lock/staging' });
    expect(got.data).toMatchObject({
      ref: 'refs/heads/deploy-lock/staging',
      object: { sha, type: 'commit' },
    });
    expect(gh.refs()['refs/heads/deploy-lock/staging']).toBe(sha);
    const matching = await o.rest.git.listMatchingRefs({ ...repo, ref: 'heads/deploy-lock/' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/deploy-lock/staging']);
    await o.rest.git.deleteRef({ ...repo, ref: 'heads/deploy-lock/staging' });
    expect(
      await statusOf(o.rest.git.getRef({ ...repo, ref: 'heads/deploy-lock/staging' })),
    ).toMatchObject({ status: 404 });
    expect(
      await statusOf(o.rest.git.deleteRef({ ...repo, ref: 'heads/deploy-lock/staging' })),
    ).toMatchObject({ status: 422 });
  });

  test('updating a ref: fast-forward only, unless force', async () => {
    const { gh, octokit } = await standIn();
    const root = gh.branch('main') as string;
    const ahead = gh.commit({ 'a.txt': 'a\n' }, root);
    const sideways = gh.commit({ 'b.txt': 'b\n' }, root);
    const o = octokit();
    await o.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: root });
    await o.rest.git.updateRef({ ...repo, ref: 'heads/x', sha: ahead });
    const nonFf = await statusOf(o.rest.git.updateRef({ ...repo, ref: 'heads/x', sha: sideways }));
    expect(nonFf).toMatchObject({
      status: 422,
      message: expect.stringMatching(/not a fast forward/),
    });
    await o.rest.git.updateRef({ ...repo, ref: 'heads/x', sha: sideways, force: true });
    expect(gh.branch('x')).toBe(sideways);
    const missing = await statusOf(
      o.rest.git.createRef({ ...repo, ref: 'refs/heads/y', sha: 'f'.repeat(40) }),
    );
    expect(missing).toMatchObject({
      status: 422,
      message: expect.stringMatching(/Object does not exist/),
    });
  });

  test('commit SHAs are deterministic 40-hex', async () => {
    const { gh: a } = await standIn();
    const { gh: b } = await standIn();
    const sa = a.commitOn('main', { 'x.txt': '1\n' });
    const sb = b.commitOn('main', { 'x.txt': '1\n' });
    expect(sa).toMatch(/^[0-9a-f]{40}$/);
    expect(sa).toBe(sb);
    expect(a.files(sa)).toEqual({ 'README.md': '# app\n', 'x.txt': '1\n' });
  });
});

const DISPATCHABLE =
  'on:\n  workflow_dispatch:\n    inputs:\n      pull-request: { required: true, type: string }\n';

describe('workflow dispatch', () => {
  test('204 and recorded for a branch; 422 for a SHA or an unknown ref', async () => {
    const { gh, octokit } = await standIn({
      files: { '.github/workflows/deploy.yml': DISPATCHABLE },
    });
    const o = octokit();
    const res = await o.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs: { 'pull-request': '7' },
    });
    expect(res.status).toBe(204);
    expect(gh.dispatches()).toEqual([
      {
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: { 'pull-request': '7' },
        actor: 'github-actions[bot]',
        at: expect.any(String),
      },
    ]);
    const sha = gh.branch('main') as string;
    const bySha = await statusOf(
      o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'deploy.yml', ref: sha }),
    );
    expect(bySha).toMatchObject({ status: 422, message: expect.stringMatching(/No ref found/) });
    const pullRef = await statusOf(
      o.rest.actions.createWorkflowDispatch({
        ...repo,
        workflow_id: 'deploy.yml',
        ref: 'refs/pull/1/merge',
      }),
    );
    expect(pullRef.status).toBe(422);
    gh.setTag('v1', sha);
    await o.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'deploy.yml',
      ref: 'v1',
      inputs: { 'pull-request': '8' },
    });
    expect(gh.dispatches()).toHaveLength(2);
  });

  test("GitHub's rules: 404 without the file on the ref; 422 without the trigger, for an undeclared input, for a missing required one", async () => {
    // https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event
    const { gh, octokit } = await standIn({
      files: {
        '.github/workflows/deploy.yml': DISPATCHABLE,
        '.github/workflows/ci.yml': 'on: [push]\n',
        '.github/workflows/bare.yml': 'on: workflow_dispatch\n',
      },
    });
    const o = octokit();
    const dispatch = (workflow_id: string, inputs?: Record<string, string>, ref = 'main') =>
      statusOf(o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id, ref, inputs }));
    await o.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs: { 'pull-request': '1' },
    });
    await o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'bare.yml', ref: 'main' });
    expect(await dispatch('x.yml', { 'pull-request': '1' })).toMatchObject({ status: 404 });
    expect(await dispatch('ci.yml')).toMatchObject({
      status: 422,
      message: expect.stringContaining("Workflow does not have 'workflow_dispatch' trigger"),
    });
    expect(await dispatch('deploy.yml', { 'pull-request': '1', extra: 'x' })).toMatchObject({
      status: 422,
      message: expect.stringContaining('Unexpected inputs provided: ["extra"]'),
    });
    expect(await dispatch('bare.yml', { a: '1' })).toMatchObject({
      status: 422,
      message: expect.stringContaining('Unexpected inputs provided: ["a"]'),
    });
    expect(await dispatch('deploy.yml', {})).toMatchObject({
      status: 422,
      message: expect.stringContaining("Required input 'pull-request' not provided"),
    });
    expect(gh.dispatches()).toHaveLength(2);
  });

  test('requireWorkflowFiles: false checks only the ref', async () => {
    const { gh, octokit } = await standIn({ requireWorkflowFiles: false });
    await octokit().rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'x.yml',
      ref: 'main',
    });
    expect(gh.dispatches()).toHaveLength(1);
  });
});
