// The documented workflow as the runner would apply it: which job handles an event and the token
// permissions that job gets. Read at test time, so the tests run under what the docs publish.
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import {
  allScopes,
  readOnly,
  SCOPES,
  type Access,
  type Permissions,
  type Scope,
} from './github-stand-in/index.js';
import { REPO_ROOT } from './repo-root.js';

export const EXAMPLE_WORKFLOW_PATH = 'docs/examples/workflows/deploy-request.yml';
// From the repository root, not this module's URL: the bench and the demo run it bundled.
export const EXAMPLE_WORKFLOW = readFileSync(join(REPO_ROOT, EXAMPLE_WORKFLOW_PATH), 'utf8');

export interface WorkflowJob {
  if?: string;
  permissions?: unknown;
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  environment?: unknown;
  steps?: Record<string, unknown>[];
}

export interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: unknown;
  concurrency?: WorkflowJob['concurrency'];
  jobs: Record<string, WorkflowJob>;
}

export function parseWorkflow(text: string): Workflow {
  const wf = load(text) as Workflow;
  if (!wf || typeof wf !== 'object' || !wf.jobs) throw new Error('workflow: no jobs');
  return wf;
}

function triggers(wf: Workflow): string[] {
  if (typeof wf.on === 'string') return [wf.on];
  return Array.isArray(wf.on) ? wf.on : Object.keys(wf.on);
}

/**
 * The one job that runs for this event: its `if:` names the event (`github.event_name == '<e>'`),
 * or it has no `if:`. Throws when the workflow has no trigger for the event, or no single job.
 */
export function jobFor(wf: Workflow, eventName: string): { name: string; job: WorkflowJob } {
  if (!triggers(wf).includes(eventName))
    throw new Error(`workflow: no \`on: ${eventName}\` trigger`);
  const mentions = new RegExp(`github\\.event_name\\s*==\\s*'${eventName}'`);
  const jobs = Object.entries(wf.jobs).filter(([, job]) => !job.if || mentions.test(job.if));
  if (jobs.length !== 1) {
    throw new Error(
      `workflow: ${jobs.length} jobs run for ${eventName} (${jobs.map(([n]) => n).join(', ')}); runAction needs exactly one`,
    );
  }
  const [name, job] = jobs[0]!;
  return { name, job };
}

/** A `permissions:` value as scopes; undefined is GitHub's restricted default (contents: read). */
export function toPermissions(value: unknown): Permissions {
  if (value === undefined || value === null) return { contents: 'read' };
  if (value === 'read-all') return allScopes('read');
  if (value === 'write-all') return allScopes('write');
  if (typeof value !== 'object') throw new Error(`workflow: permissions ${String(value)}`);
  const out: Permissions = {};
  for (const [scope, access] of Object.entries(value as Record<string, string>)) {
    // Scopes the stand-in does not model (packages, id-token, …) change nothing it answers.
    if ((SCOPES as readonly string[]).includes(scope)) out[scope as Scope] = access as Access;
  }
  return out;
}

/** The token permissions of the job that handles `eventName`; fork PR runs get every scope read. */
export function jobPermissions(text: string, eventName: string, fork = false): Permissions {
  const wf = parseWorkflow(text);
  const { job } = jobFor(wf, eventName);
  const p = toPermissions(job.permissions ?? wf.permissions);
  return fork ? readOnly(p) : p;
}
