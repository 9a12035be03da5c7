// SPEC §4 invariant 9: PRs from forks are refused with an explanation; no PR code or
// PR-controlled config ever runs with the SSH key: the hand-over always targets the default
// branch's workflow, and a trusted run (workflow_dispatch, issue_comment) whose
// GITHUB_WORKFLOW_REF is not the default branch is refused before anything is touched.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  comment,
  deployRequest,
  dispatch,
  gate,
  lastReply,
  openFlow,
  promptedFlow,
  REQUEST_PATH,
  resetHome,
  reviewRun,
  SHA,
  sessions,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const FORKS_REFUSED =
  /Deploy requests from forks are refused: a fork cannot be trusted with the deployment key/;

describe('invariant 9: forks and trusted runs', () => {
  it('a fork PR is refused with an explanation in the gate, even when approved; nothing is written or handed over', async () => {
    const { servers, clientKey } = fleet();
    const base = await openFlow(servers, clientKey.privateKey, { approve: false });
    const gh = base.gh;
    const { number } = gh.openPull({
      author: 'mallory',
      fromFork: true,
      headFiles: { [REQUEST_PATH]: deployRequest(SHA) },
    });
    gh.clearCalls();
    const opened = await gate(gh, number);
    expect(opened.outputs.phase).toBe('refused');
    expect(opened.code).toBe(0);
    expect(opened.stdout).toMatch(FORKS_REFUSED);
    expect(opened.summary + opened.stdout).toMatch(/Push the branch to this repository/);

    gh.review(number, 'alice', 'APPROVED');
    gh.review(number, 'olga', 'APPROVED');
    const last = gh.review(number, 'oscar', 'APPROVED');
    const reviewed = await reviewRun(gh, number, last);
    expect(reviewed.outputs.phase).toBe('refused');
    expect(gh.dispatches()).toEqual([]);
    // Fork runs hold a read-only token: no write may have succeeded.
    expect(gh.calls().filter((c) => c.method !== 'GET' && c.status < 300)).toEqual([]);

    // Someone dispatches the trusted workflow for the fork PR, or comments /confirm on it.
    const trusted = await dispatch(gh, number, clientKey.privateKey);
    expect(trusted.outputs.phase).toBe('refused');
    expect(lastReply(gh, number)).toMatch(FORKS_REFUSED);
    const confirm = await comment(gh, number, 'mallory', `/confirm ${'a'.repeat(64)}`, {
      key: clientKey.privateKey,
    });
    expect(confirm.outputs.phase).toBe('refused');
    expect(lastReply(gh, number)).toMatch(FORKS_REFUSED);
    expect(sessions(servers[0]!)).toBe(0);
    expect(gh.deployments()).toEqual([]);
  });

  it('the hand-over dispatches the default branch’s workflow, never the PR’s ref or its edited workflow file', async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      extraFiles: {
        '.github/workflows/deploy-request.yml':
          'on: [workflow_dispatch]\njobs: { steal: { runs-on: ubuntu-latest, steps: [{ run: "echo $KEY" }] } }\n',
      },
    });
    const result = await gate(p.gh, p.number); // GITHUB_WORKFLOW_REF …@refs/pull/N/merge
    expect(result.env.GITHUB_WORKFLOW_REF).toMatch(/@refs\/pull\/\d+\/merge$/);
    expect(result.outputs.phase).toBe('approved');
    expect(p.gh.dispatches()).toEqual([
      expect.objectContaining({
        workflow: 'deploy-request.yml',
        ref: 'main',
        inputs: { 'pull-request': String(p.number) },
      }),
    ]);
  });

  it('a trusted run from a workflow that is not the default branch’s is refused before any SSH', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    const before = sessions(servers[0]!);
    const prBranch = p.gh.pull(p.number).headRef;

    // workflow_dispatch started on the PR's branch (where the PR may have changed the workflow).
    const onBranch = await dispatch(p.gh, p.number, p.key, { cwd: p.workspace, ref: prBranch });
    expect(onBranch.env.GITHUB_WORKFLOW_REF).toMatch(new RegExp(`@refs/heads/${prBranch}$`));
    expect(onBranch.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(
      new RegExp(
        `uses the workflow from .{1,2}refs/heads/${prBranch}.{1,2}, not from the default branch .{1,2}main`,
      ),
    );

    // An issue_comment run claiming a pull request's merge ref.
    const fromPr = await comment(p.gh, p.number, 'dev', `/confirm ${p.digest}`, {
      key: p.key,
      cwd: p.workspace,
      workflowRef: `${p.gh.fullName}/.github/workflows/deploy.yml@refs/pull/${p.number}/merge`,
    });
    expect(fromPr.outputs.phase).toBe('refused');
    expect(lastReply(p.gh, p.number)).toMatch(
      /uses the workflow from .{1,2}refs\/pull\/\d+\/merge/,
    );

    expect(sessions(servers[0]!)).toBe(before);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
  });
});
