// The import directions of import-rules.ts hold for every file in src/, and the checker
// itself catches a breach (an in-memory sample), so a green run means something.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, RULES, violations } from './import-rules.js';

const SRC = path.resolve(import.meta.dirname, '../../../src');

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    const file = entry.split(path.sep).join('/');
    if (file.endsWith('.ts')) files.set(file, readFileSync(path.join(SRC, entry), 'utf8'));
  }
  return files;
}

describe('import directions in src/', () => {
  it('no file imports against the layering (each breach printed as file → import)', () => {
    const files = sourceFiles();
    // The walk found the layers the rules are about.
    for (const folder of ['domain', 'approval', 'confirm', 'report', 'github', 'ssh']) {
      expect(
        [...files.keys()].some((f) => f.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
    }
    expect(violations(files).join('\n')).toBe('');
  });
});

describe('the checker', () => {
  it('reads static, type-only, re-export and dynamic imports', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "import 'node:fs';",
      '// import x from "./commented.js";',
    ].join('\n');
    expect(importsOf(text)).toEqual([
      './a.js',
      '../b/b.js',
      './c.js',
      './d.js',
      './e.js',
      'node:fs',
    ]);
  });

  it('places an import in its folder under src/', () => {
    expect(folderOf('approval/x.ts', '../github/port.js')).toBe('github');
    expect(folderOf('approval/x.ts', './y.js')).toBe('approval');
    expect(folderOf('approval/x.ts', '../problem.js')).toBe('');
    expect(folderOf('main.ts', './action/event.js')).toBe('action');
    expect(folderOf('approval/x.ts', 'yaml')).toBe('package:yaml');
    expect(folderOf('approval/x.ts', '../../test/x.js')).toBe('outside:../test/x.js');
  });

  it('names every breach, file → import, and passes what the rules allow', () => {
    const sample = new Map([
      ['approval/bad.ts', "import type { GitHubPort } from '../github/port.js';"],
      ['report/bad.ts', "import { x } from '../action/outcome.js';\nimport { y } from './y.js';"],
      ['confirm/bad.ts', "const ssh = await import('../ssh/session.js');"],
      ['domain/bad.ts', "import { z } from '../approval/z.js';\nimport 'node:crypto';"],
      ['github/bad.ts', "export { handle } from '../action/handle-gate.js';"],
      ['approval/good.ts', "import { k } from '../domain/logins.js';\nimport '../problem.js';"],
      ['action/free.ts', "import { p } from '../github/port.js';"],
      ['main.ts', "import { a } from './action/event.js';"],
    ]);
    expect(violations(sample, RULES)).toEqual([
      'src/approval/bad.ts → ../github/port.js (approval/ must not import github/)',
      'src/confirm/bad.ts → ../ssh/session.js (confirm/ must not import ssh/)',
      'src/domain/bad.ts → ../approval/z.js (domain/ imports only from domain/)',
      'src/domain/bad.ts → node:crypto (domain/ imports only from domain/)',
      'src/github/bad.ts → ../action/handle-gate.js (github/ must not import action/)',
      'src/report/bad.ts → ../action/outcome.js (report/ must not import action/)',
    ]);
  });
});
