// The repository's own .github/: CI parses with GitHub's parser and runs every check,
// Dependabot groups updates, CODEOWNERS guards what the action runs.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoFile, readYaml, repoPath, workflowErrors } from './support.js';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type CiJob = {
  'runs-on': string;
  strategy: { matrix: { node: number[] } };
  steps: Step[];
};

describe('.github/workflows/ci.yml', async () => {
  const text = await readRepoFile('.github/workflows/ci.yml');
  const ci = readYaml(text) as { permissions: unknown; jobs: Record<string, CiJob> };
  const jobs = Object.values(ci.jobs);
  const runs = jobs.flatMap((job) => job.steps.flatMap((step) => step.run ?? []));

  it('parses without errors with @actions/workflow-parser', async () => {
    expect(await workflowErrors('.github/workflows/ci.yml', text)).toEqual([]);
  });

  it('reads contents only', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('runs on ubuntu-latest with Node 20 and 24', () => {
    for (const job of jobs) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(job.strategy.matrix.node).toEqual([20, 24]);
    }
  });

  it('runs install, format, lint, typecheck, dist and tests, in that order', () => {
    const wanted = [
      'npm ci',
      'npm run format:check',
      'npm run lint',
      'npm run typecheck',
      'npm run check-dist',
      'npm test',
    ];
    const at = wanted.map((command) => runs.findIndex((run) => run.includes(command)));
    expect(
      at.every((i) => i >= 0),
      `missing: ${wanted.filter((_, i) => at[i]! < 0)}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('pins actions by commit SHA', () => {
    const uses = jobs.flatMap((job) => job.steps.flatMap((step) => step.uses ?? []));
    expect(uses).toEqual([
      'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
    ]);
    expect(text).toMatch(/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\.2\.2/);
    expect(text).toMatch(/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4\.4\.0/);
  });

  it('uses every npm script it names', async () => {
    const pkg = JSON.parse(await readRepoFile('package.json')) as {
      scripts: Record<string, string>;
    };
    for (const run of runs) {
      for (const [, script] of run.matchAll(/npm run ([\w:-]+)/g)) {
        expect(Object.keys(pkg.scripts), run).toContain(script);
      }
    }
  });
});

describe('.github/dependabot.yml', async () => {
  const config = readYaml(await readRepoFile('.github/dependabot.yml')) as {
    version: number;
    updates: Array<{
      'package-ecosystem': string;
      directory: string;
      schedule: { interval: string };
      groups: Record<string, { 'dependency-type'?: string; patterns?: string[] }>;
    }>;
  };

  it('updates npm and GitHub Actions weekly, grouped', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ]);
    for (const update of config.updates) {
      expect(update.directory).toBe('/');
      expect(update.schedule.interval).toBe('weekly');
      expect(Object.keys(update.groups).length).toBeGreaterThan(0);
    }
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')!;
    expect(
      Object.values(npm.groups)
        .map((g) => g['dependency-type'])
        .sort(),
    ).toEqual(['development', 'production']);
  });
});

describe('.github/CODEOWNERS', async () => {
  const lines = (await readRepoFile('.github/CODEOWNERS'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const owners = new Map(lines.map((line) => [line.split(/\s+/)[0]!, line.split(/\s+/).slice(1)]));

  it('gives action.yml, .github/ and schemas/ to the maintainers', () => {
    for (const pattern of ['/action.yml', '/.github/', '/schemas/']) {
      expect(owners.get(pattern), pattern).toEqual(['@deploy-request/maintainers']);
    }
  });

  it('names only paths that exist', () => {
    for (const pattern of owners.keys()) {
      expect(existsSync(repoPath(pattern.replace(/^\//, ''))), pattern).toBe(true);
    }
  });
});
