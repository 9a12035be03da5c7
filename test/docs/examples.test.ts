// The examples a newcomer copies must work: every workflow parses with GitHub's own parser, every
// configuration and request loads exactly as the action loads them, and the README's YAML blocks
// are checked the same way. The recommended workflow also keeps its security shape.
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { DeployRequestConfig } from '../../src/config/types.js';
import { loadRequest } from '../../src/request/load-request.js';
import type { Problem } from '../../src/problem.js';
import {
  ROOT,
  modelineSchema,
  readRepoFile,
  readYaml,
  repoPath,
  workflowErrors,
  yamlBlocks,
} from './support.js';

const EXAMPLES = 'docs/examples';
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
const OUR_ACTION = 'deploy-request/deploy-request@v1';
const CONFIG_SCHEMA = 'deploy-request-config.schema.json';
const REQUEST_SCHEMA = 'deploy-request.schema.json';

async function exampleFiles(dir: string): Promise<string[]> {
  const names = await readdir(repoPath(EXAMPLES, dir));
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${EXAMPLES}/${dir}/${name}`);
}

/** `file:line:col: message`; README blocks are reported at their line in README.md. */
function describeProblems(problems: Problem[], firstLine = 1): string {
  return problems
    .map((p) => `${p.file}:${p.line + firstLine - 1}:${p.column}: ${p.message}`)
    .join('\n');
}

async function exampleConfig(): Promise<DeployRequestConfig> {
  const file = `${EXAMPLES}/config/deploy-request.yml`;
  const loaded = loadConfig(await readRepoFile(file), file);
  if (!loaded.ok) throw new Error(describeProblems(loaded.problems));
  return loaded.value;
}

type Job = Record<string, unknown> & {
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  steps: Array<Record<string, unknown> & { uses?: string; with?: Record<string, unknown> }>;
};
type Trigger = { types?: string[]; inputs?: Record<string, { required?: boolean; type?: string }> };
type Workflow = { on: Record<string, Trigger>; permissions?: unknown; jobs: Record<string, Job> };

function environmentName(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

describe('GitHub workflow parser', () => {
  it('reports errors, so a clean result means something', async () => {
    const broken = [
      'on: push',
      'permissions: { contents: read, everything: write }',
      'jobs:',
      '  x:',
      '    runs-on: ubuntu-latest',
      '    concurrency: ${{ secrets.TOKEN }}',
      '    steps:',
      '      - run: echo hi',
      '        uses: actions/checkout@v4',
      '',
    ].join('\n');
    const errors = await workflowErrors('broken.yml', broken);
    expect(errors.join('\n')).toMatch(/everything/);
    expect(errors.join('\n')).toMatch(/secrets/);
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });
});

describe('docs/examples', () => {
  it('has the recommended workflow, a configuration and url, release_asset and path requests', async () => {
    expect(await exampleFiles('workflows')).toContain(`${EXAMPLES}/workflows/deploy-request.yml`);
    expect(await exampleFiles('config')).toEqual([`${EXAMPLES}/config/deploy-request.yml`]);
    const config = await exampleConfig();
    const kinds = new Set<string>();
    for (const file of await exampleFiles('requests')) {
      const loaded = loadRequest(await readRepoFile(file), file, config);
      if (loaded.ok) Object.keys(loaded.value.artifact).forEach((key) => kinds.add(key));
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['url', 'release_asset', 'path']));
  });

  it('every workflow parses without errors with @actions/workflow-parser', async () => {
    for (const file of await exampleFiles('workflows')) {
      expect(await workflowErrors(file, await readRepoFile(file)), file).toEqual([]);
    }
  });

  it('the configuration loads as the action loads it, with staging and production', async () => {
    const config = await exampleConfig();
    expect(Object.keys(config.environments)).toEqual(['staging', 'production']);
    expect(config.environments.production!.approval.stages.length).toBe(2);
  });

  it('every request validates against the example configuration', async () => {
    const config = await exampleConfig();
    for (const file of await exampleFiles('requests')) {
      const loaded = loadRequest(await readRepoFile(file), file, config);
      expect(loaded.ok ? '' : describeProblems(loaded.problems), file).toBe('');
    }
  });

  it('every example file points editors at the right schema, by a path that exists', async () => {
    const files = [
      ...(await exampleFiles('config')).map((file) => ({ file, schema: CONFIG_SCHEMA })),
      ...(await exampleFiles('requests')).map((file) => ({ file, schema: REQUEST_SCHEMA })),
    ];
    for (const { file, schema } of files) {
      const target = modelineSchema(await readRepoFile(file));
      expect(target, file).toBeDefined();
      expect(path.basename(target!), file).toBe(schema);
      expect(existsSync(path.resolve(path.dirname(repoPath(file)), target!)), file).toBe(true);
    }
  });
});

describe('the example workflows keep their security shape', async () => {
  const files = await exampleFiles('workflows');

  it.each(files)('%s: triggers, jobs and permissions', async (file) => {
    const text = await readRepoFile(file);
    const wf = readYaml(text) as Workflow;
    expect(Object.keys(wf.on).sort()).toEqual(
      ['issue_comment', 'pull_request', 'pull_request_review', 'workflow_dispatch'].sort(),
    );
    expect(wf.on.pull_request!.types).toEqual([
      'opened',
      'synchronize',
      'reopened',
      'ready_for_review',
      'edited',
      'closed',
    ]);
    expect(wf.on.pull_request_review!.types).toEqual(['submitted', 'dismissed', 'edited']);
    expect(wf.on.workflow_dispatch!.inputs!['pull-request']).toMatchObject({
      required: true,
      type: 'string',
    });
    expect(wf.on.issue_comment!.types).toEqual(['created', 'edited']);
    expect(wf.permissions).toEqual({});

    const gate = wf.jobs.gate!;
    expect(gate.if).toMatch(/pull_request'/);
    expect(gate.if).toMatch(/pull_request_review'/);
    expect(gate.environment).toBeUndefined();
    expect(gate.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      statuses: 'write',
      actions: 'write',
      deployments: 'write',
    });
    expect(gate.concurrency?.group).toContain('github.event.pull_request.number');

    const operate = wf.jobs.operate!;
    expect(operate.if).toContain("github.event_name == 'workflow_dispatch'");
    expect(operate.if).toContain("github.event_name == 'issue_comment'");
    expect(operate.if).toContain('github.event.issue.pull_request');
    expect(environmentName(operate)).toBe('deploy-request');
    // Exactly what the code needs (test/docs/permissions.test.ts checks it against the code).
    expect(operate.permissions).toEqual({
      contents: 'write',
      'pull-requests': 'write',
      statuses: 'write',
      deployments: 'write',
      checks: 'read', // require_checks
      issues: 'write', // break-glass
    });
    // Per comment (stray comments cannot cancel a /confirm: test/docs/stray-comments.test.ts).
    expect(operate.concurrency?.group).toMatch(/github\.event\.comment\.id/);
    expect(operate.concurrency?.group).toContain('inputs.pull-request');
    expect(operate.concurrency?.['cancel-in-progress']).toBe(false);

    const ours = (job: Job) => job.steps.find((step) => step.uses === OUR_ACTION);
    expect(ours(gate)).toBeDefined();
    expect(ours(operate)?.with).toMatchObject({
      'ssh-private-key': '${{ secrets.DEPLOY_SSH_KEY }}',
      'members-token': '${{ secrets.DEPLOY_REQUEST_MEMBERS_TOKEN }}',
    });
  });

  it.each(files)('%s: the SSH key reaches only the job bound to the environment', async (file) => {
    const wf = readYaml(await readRepoFile(file)) as Workflow;
    for (const [id, job] of Object.entries(wf.jobs)) {
      const text = JSON.stringify(job);
      if (environmentName(job) === 'deploy-request') continue;
      expect(text, `job ${id}`).not.toContain('DEPLOY_SSH_KEY');
      expect(text, `job ${id}`).not.toContain('ssh-private-key');
      expect(text, `job ${id}`).not.toContain('ssh-passphrase');
    }
    // A job that builds pull request code gets no secret at all.
    for (const [id, job] of Object.entries(wf.jobs)) {
      if (job.steps.some((step) => typeof step.run === 'string')) {
        expect(JSON.stringify(job), `job ${id}`).not.toContain('secrets.');
      }
    }
  });

  it.each(files)('%s: actions pinned by full commit SHA with a version comment', async (file) => {
    const text = await readRepoFile(file);
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [line, ref, rest] of uses) {
      if (ref === OUR_ACTION) continue;
      expect(ref, line).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      expect(rest, line).toMatch(/#\s*v\d+\.\d+\.\d+/);
      if (ref!.startsWith('actions/checkout@')) expect(ref).toBe(CHECKOUT);
    }
    const wf = readYaml(text) as Workflow;
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

describe('README.md', async () => {
  const readme = await readRepoFile('README.md');
  const blocks = yamlBlocks(readme);

  it('has YAML blocks of every kind, each one recognised', () => {
    const kinds = blocks.map((b) => b.kind);
    expect(kinds).toEqual(expect.arrayContaining(['workflow', 'config', 'request']));
    for (const block of blocks) {
      expect(
        block.kind,
        `README.md:${block.line}: a yaml block must be a workflow (jobs:), a config (environments:), a request (application:) or start with "# (excerpt)"`,
      ).not.toBe('unknown');
    }
  });

  it('every workflow block parses with @actions/workflow-parser', async () => {
    for (const block of blocks.filter((b) => b.kind === 'workflow')) {
      expect(await workflowErrors(`README.md:${block.line}`, block.text)).toEqual([]);
    }
  });

  it('every config block loads as the action loads it', () => {
    for (const block of blocks.filter((b) => b.kind === 'config')) {
      const loaded = loadConfig(block.text, 'README.md');
      expect(loaded.ok ? '' : describeProblems(loaded.problems, block.line)).toBe('');
    }
  });

  it('every request block validates against the example configuration', async () => {
    const config = await exampleConfig();
    for (const block of blocks.filter((b) => b.kind === 'request')) {
      const loaded = loadRequest(block.text, 'README.md', config);
      expect(loaded.ok ? '' : describeProblems(loaded.problems, block.line)).toBe('');
    }
  });

  it('includes the recommended workflow verbatim', async () => {
    const workflow = await readRepoFile(`${EXAMPLES}/workflows/deploy-request.yml`);
    expect(blocks.filter((b) => b.kind === 'workflow').map((b) => b.text)).toContain(workflow);
  });

  it('schema links name schemas that exist', () => {
    for (const block of blocks) {
      const target = modelineSchema(block.text);
      if (target && !/^https?:/.test(target)) {
        expect(existsSync(path.resolve(ROOT, target)), `README.md:${block.line}`).toBe(true);
      }
    }
    const urls = [
      ...readme.matchAll(/https:\/\/raw\.githubusercontent\.com\/[^\s)`'"]+\.schema\.json/g),
    ].map((m) => m[0]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toMatch(
        /^https:\/\/raw\.githubusercontent\.com\/deploy-request\/deploy-request\/[^/]+\/schemas\//,
      );
      expect(existsSync(repoPath('schemas', path.basename(url))), url).toBe(true);
    }
  });
});
