// The README's reference tables are generated from schemas/*.json; this fails when they are stale.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile, repoPath } from './support.js';

const run = promisify(execFile);
const SCRIPT = 'scripts/gen-readme-reference.mjs';

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}
interface Generator {
  START: string;
  END: string;
  propertyRows(schema: object): Row[];
  renderReference(root?: string): Promise<string>;
  splitReadme(text: string): { before: string; section: string; after: string } | null;
}

const generator = (): Promise<Generator> =>
  import(pathToFileURL(repoPath(SCRIPT)).href) as Promise<Generator>;

async function schema(name: string): Promise<object> {
  return JSON.parse(await readRepoFile(`schemas/${name}`)) as object;
}

describe('README reference (npm run docs)', () => {
  it('is up to date with schemas/*.json (the generator in check mode)', async () => {
    const result = await run(process.execPath, [SCRIPT, '--check'], { cwd: ROOT }).then(
      (ok) => ({ code: 0, output: ok.stdout + ok.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );
    expect(result.output.trim(), 'run "npm run docs" and commit README.md').toBe(
      'README.md reference is up to date.',
    );
    expect(result.code).toBe(0);
  });

  it('package.json runs the generator as "npm run docs"', async () => {
    const pkg = JSON.parse(await readRepoFile('package.json')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.docs).toBe(`node ${SCRIPT}`);
  });

  it('lists every property path of both schemas, with its type and description', async () => {
    const { propertyRows, splitReadme } = await generator();
    const section = splitReadme(await readRepoFile('README.md'))!.section;
    const config = propertyRows(await schema('deploy-request-config.schema.json'));
    const request = propertyRows(await schema('deploy-request.schema.json'));
    for (const row of [...config, ...request]) {
      expect(row.type, row.path).not.toBe('any');
      expect(row.description, row.path).not.toBe('');
      expect(section).toContain(`\`${row.path}\``);
    }
    const paths = config.map((r) => r.path);
    for (const expected of [
      'version',
      'requests.paths',
      'environments.<name>.servers[].host_key',
      'environments.<name>.approval.stages[].reviewers',
      'environments.<name>.deploy.health_check.interval_s',
      'environments.<name>.lock.stale_after_minutes',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(request.map((r) => r.path)).toEqual(
      expect.arrayContaining(['artifact.release_asset.tag', 'variables.<NAME>', 'reason']),
    );
  });

  it('shows defaults and required properties from the schema', async () => {
    const { propertyRows } = await generator();
    const rows = new Map(
      propertyRows(await schema('deploy-request-config.schema.json')).map((r) => [r.path, r]),
    );
    expect(rows.get('environments.<name>.servers[].port')).toMatchObject({
      type: 'integer, 1–65535',
      default: '`22`',
    });
    expect(rows.get('environments.<name>.servers[].host')?.default).toBe('**required**');
    expect(rows.get('requests.paths')?.default).toBe(
      '`["deploy-requests/**/*.yml", "deploy-requests/**/*.yaml"]`',
    );
    expect(rows.get('environments.<name>.deploy.rollback_on_failure')?.default).toBe('`true`');
  });

  it('detects a stale section', async () => {
    const { renderReference, splitReadme, START, END } = await generator();
    const fresh = await renderReference(ROOT);
    const parts = splitReadme(`intro\n${START}\nold table\n${END}\n`)!;
    expect(parts.section).not.toBe(fresh);
    expect(splitReadme('no markers here')).toBeNull();
  });
});
