// SPEC §4 invariant 13 (permissions part): the documented workflow grants what the code needs, and
// a job that lacks a permission stops cleanly. Every run here takes its token from the job of
// docs/examples/workflows/deploy-request.yml that handles the event (runAction); this test removes
// `contents: write` from the operate job, in memory, and shows /confirm is refused before anything
// happens: the message names the permission, the prompt stays open, no server is touched.
// Through dist/index.js against the strict GitHub stand-in and real sshd.
import { dump, load } from 'js-yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueCommentEvent } from '../support/events.js';
import { EXAMPLE_WORKFLOW, jobPermissions, type Workflow } from '../support/workflow.js';
import {
  expectNoStackTrace,
  lockRefs,
  promptedFlow,
  releases,
  resetHome,
  run,
  sessions,
  useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** The shipped workflow with the operate job's `contents` permission set to `access`. */
function operateWithContents(access: 'read' | 'write'): string {
  const wf = load(EXAMPLE_WORKFLOW) as Workflow;
  const operate = wf.jobs.operate!;
  operate.permissions = { ...(operate.permissions as object), contents: access };
  return dump(wf);
}

describe('invariant 13: the documented permissions are the ones the code needs', () => {
  it('the shipped operate job grants contents: write, the environment lock needs it', () => {
    expect(jobPermissions(EXAMPLE_WORKFLOW, 'issue_comment')).toMatchObject({
      contents: 'write',
    });
    expect(jobPermissions(operateWithContents('read'), 'issue_comment')).toMatchObject({
      contents: 'read',
    });
  });

  it('without contents: write, /confirm is refused naming it: phase refused, job red, prompt open, no server touched', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    const before = sessions(servers[0]!);
    const deploymentStatuses = p.gh.deploymentStatuses(p.deploymentId).length;
    const id = p.gh.comment(p.number, 'dev', `/confirm ${p.digest}`);
    const result = await run(p.gh, {
      eventName: 'issue_comment',
      payload: issueCommentEvent(p.gh, 'created', id),
      inputs: { 'ssh-private-key': p.key },
      cwd: p.workspace,
      workflow: operateWithContents('read'),
    });
    expect(result.permissions).toMatchObject({ contents: 'read', deployments: 'write' });
    expect(result.code).toBe(1);
    expect(result.outputs.phase).toBe('refused');
    const error = result.annotations.find((a) => a.level === 'error');
    expect(error?.message).toMatch(
      /^GitHub refused to create the environment lock \(403: Resource not accessible by integration.*\)\. The workflow needs `permissions: contents: write` in the job that runs deploy-request/,
    );
    expectNoStackTrace(result);
    // GitHub saw the attempt and refused it with the permission it wanted.
    expect(p.gh.count({ method: 'POST', path: '/git/refs', status: 403 })).toBe(1);
    // Nothing half-done: the prompt is still queued (not in_progress, not failure), no lock, no
    // SSH session on the server, nothing released.
    expect(p.gh.deploymentState(p.deploymentId)).toBe('queued');
    expect(p.gh.deploymentStatuses(p.deploymentId)).toHaveLength(deploymentStatuses);
    expect(lockRefs(p.gh)).toEqual([]);
    expect(sessions(servers[0]!)).toBe(before);
    expect(releases(servers[0]!)).toEqual([]);

    // With the documented permission the same prompt deploys: it was not burned.
    const again = await run(p.gh, {
      eventName: 'issue_comment',
      payload: issueCommentEvent(p.gh, 'created', id),
      inputs: { 'ssh-private-key': p.key },
      cwd: p.workspace,
    });
    expect(again.outputs.phase).toBe('deployed');
    expect(p.gh.deploymentState(p.deploymentId)).toBe('success');
    expect(releases(servers[0]!)).toHaveLength(1);
  });
});
