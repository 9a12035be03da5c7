// The documented workflow grants exactly the permissions the code needs (SPEC §4 invariant 13):
// src/github/permissions.ts says which call needs what and which calls each job makes; the example
// workflow and the README's table must match it. `UPDATE_README=1` regenerates the table.
// Permissions per endpoint: https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALL_NEEDS, JOB_CALLS, permissionsFor, type Scope } from '../../src/github/permissions.js';
import { EXAMPLE_WORKFLOW, parseWorkflow, toPermissions } from '../support/workflow.js';
import { repoPath } from './support.js';

const START = '<!-- permissions-table:start -->';
const END = '<!-- permissions-table:end -->';

function table(): string {
  const rows = ['| Job | Permission | Why |', '| --- | --- | --- |'];
  for (const [job, calls] of Object.entries(JOB_CALLS)) {
    const granted = permissionsFor(calls);
    // Why the job needs that access: the calls that need exactly it.
    for (const scope of Object.keys(granted).sort() as Scope[]) {
      const whys = [
        ...new Set(
          calls
            .map((c) => CALL_NEEDS[c])
            .filter((n) => n.scope === scope && n.access === granted[scope])
            .map((n) => n.why),
        ),
      ];
      rows.push(`| \`${job}\` | \`${scope}: ${granted[scope]}\` | ${whys.join('; ')} |`);
    }
  }
  return rows.join('\n');
}

/** The table's cells, whatever padding Prettier gives it. */
function normalise(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
        .join('|'),
    )
    .join('\n');
}

describe('permissions: code, example workflow and README agree', () => {
  it('each job of docs/examples/workflows/deploy-request.yml grants exactly what its calls need', () => {
    const wf = parseWorkflow(EXAMPLE_WORKFLOW);
    expect(toPermissions(wf.permissions)).toEqual({}); // nothing at the workflow level
    expect(Object.keys(wf.jobs).sort()).toEqual(Object.keys(JOB_CALLS).sort());
    for (const [job, calls] of Object.entries(JOB_CALLS)) {
      expect(toPermissions(wf.jobs[job]!.permissions), job).toEqual(permissionsFor(calls));
    }
  });

  it('the environment lock is why operate writes contents; the gate never does', () => {
    expect(permissionsFor(JOB_CALLS.operate).contents).toBe('write');
    expect(permissionsFor(JOB_CALLS.gate).contents).toBe('read');
    expect(JOB_CALLS.gate).not.toContain('createRef');
    expect(JOB_CALLS.gate).not.toContain('deleteRef');
  });

  it('the README table "permission → why" is the one the code gives', () => {
    const path = repoPath('README.md');
    const readme = readFileSync(path, 'utf8');
    const at = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(at, `README.md needs ${START} … ${END}`).toBeGreaterThan(0);
    const current = normalise(readme.slice(at + START.length, end));
    if (process.env.UPDATE_README === '1' && current !== normalise(table())) {
      writeFileSync(
        path,
        `${readme.slice(0, at + START.length)}\n${table()}\n${readme.slice(end)}`,
      );
      return;
    }
    expect(current).toBe(normalise(table()));
  });
});
