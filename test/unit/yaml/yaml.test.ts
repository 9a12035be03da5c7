// The YAML layer's edges: documents, tags, positions of every kind of node, path hints, the
// locator's fall-backs, suggestions.
import { describe, expect, it } from 'vitest';
import { PATTERN_HINTS } from '../../../src/yaml/pattern-hints.js';
import { Locator } from '../../../src/yaml/locate.js';
import { MAX_YAML_BYTES, parseYaml, tooLargeMessage } from '../../../src/yaml/parse-yaml.js';
import { pointerToSegments, valueAt } from '../../../src/yaml/path.js';
import { relativePathProblem } from '../../../src/yaml/relative-path.js';
import { closest } from '../../../src/yaml/suggest.js';
import { codeSpan } from '../../../src/yaml/code-span.js';

function problem(text: string) {
  const r = parseYaml(text, 'f.yml');
  expect(r.ok).toBe(false);
  return !r.ok ? r.problems[0]! : undefined;
}

function positions(text: string) {
  const r = parseYaml(text, 'f.yml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return Object.fromEntries(r.value.positions);
}

describe('parseYaml: more than one document', () => {
  it.each([
    ['a: 1\n---\nb: 2\n', 2, 1],
    ['--- \na: 1\n--- \nb: 2\n', 3, 1],
    ['a: 1\n...\nb: 2\n', 3, 1],
    ['a: 1\n...\n"x"\n', 3, 2],
    ['a: 1\n...\n[1]\n', 3, 1],
    ['--- a\n...\nb\n', 3, 1],
  ])('%j: the problem is at the second document', (text, line, column) => {
    expect(problem(text)).toMatchObject({
      line,
      column,
      message:
        'only one YAML document is allowed per file; remove the extra `---` and what follows',
    });
  });
});

describe('parseYaml: errors', () => {
  it('custom tags are refused by name', () => {
    expect(problem('a: !foo x\n')?.message).toBe(
      'unknown scalar tag !<!foo>; custom YAML tags are not allowed',
    );
  });

  it('duplicate keys name the key when it can be read, else say it plainly', () => {
    expect(problem('"a": 1\n"a": 2\n')?.message).toBe(
      'duplicate key `a`; each field may appear only once in a mapping',
    );
    expect(problem('? [x]\n: 1\n? [x]\n: 2\n')?.message).toMatch(/complex|duplicate|mapping/);
  });

  it('a file that is only a comment or a document end is empty', () => {
    expect(problem('# nothing\n')?.message).toBe('the file is empty; expected a mapping of fields');
    expect(problem('...\n')?.message).toBe('the file is empty; expected a mapping of fields');
  });

  it('sizes are said in KiB or MiB', () => {
    expect(tooLargeMessage(300 * 1024)).toBe(
      'file is too large (300 KiB); deploy-request files may be at most 256 KiB',
    );
    expect(tooLargeMessage(3 * 1024 * 1024)).toMatch(/\(3\.0 MiB\)/);
  });
});

describe('positions', () => {
  it('keys and values of plain, quoted, block and tagged scalars; flow and block collections', () => {
    const text = [
      'a: plain',
      "b: 'single'",
      'c: "double"',
      'd: | # a comment with > and |',
      '  literal',
      'e: >-',
      '  folded',
      'f: !!str 12',
      'g: !!seq [1, 2]',
      'h:',
      '  - x',
      '  - {y: 1}',
      'i: ~',
      'j:',
      '',
    ].join('\n');
    const p = positions(text);
    expect(p.a).toEqual({
      key: { line: 1, column: 1 },
      value: { line: 1, column: 4 },
      raw: 'plain',
    });
    expect(p.b!.value).toEqual({ line: 2, column: 4 });
    expect(p.c!.value).toEqual({ line: 3, column: 4 });
    expect(p.d!.value).toEqual({ line: 4, column: 4 });
    expect(p.e!.value).toEqual({ line: 6, column: 4 });
    expect(p.f!.value).toEqual({ line: 8, column: 4 });
    expect(p.g!.value).toEqual({ line: 9, column: 4 });
    expect(p['h[0]']!.value).toEqual({ line: 11, column: 5 });
    expect(p['h[1].y']!.value).toEqual({ line: 12, column: 9 });
    expect(p.i!.raw).toBe('~');
    expect(p.j).toEqual({ key: { line: 14, column: 1 }, raw: '' });
  });

  it('a block scalar whose comment runs to the end of the text', () => {
    const p = positions('a: |\n  x\nb: >  # trailing');
    expect(p.a!.value).toEqual({ line: 1, column: 4 });
    expect(p.b).toBeDefined();
  });

  it('a byte order mark does not shift the first line’s columns', () => {
    expect(positions('\uFEFFa: 1\n').a!.key).toEqual({ line: 1, column: 1 });
  });

  it('a complex (collection) key keeps the map balanced until construction refuses it', () => {
    const r = parseYaml('? {x: 1}\n: 2\nb: 3\n', 'f.yml');
    expect(r.ok).toBe(false);
  });
});

describe('path hints', () => {
  const sha = PATTERN_HINTS['^[0-9a-f]{64}$'] as (v: unknown) => string;
  const deployPath = PATTERN_HINTS['^(?!~)(?!(?:.*/)?\\.\\.(?:/|$))[^\\u0000\\n]+$'] as (
    v: unknown,
  ) => string;
  const relative = PATTERN_HINTS['^(?![/~])(?!.*\\\\)(?!(?:.*/)?\\.\\.(?:/|$)).+$'] as (
    v: unknown,
  ) => string;

  it('sha256: upper case, a wrong length, not a string', () => {
    expect(sha('A'.repeat(64))).toMatch(/; write it in lower case$/);
    expect(sha('abc')).toMatch(/; got 3 characters$/);
    expect(sha(5)).toBe(
      'must be 64 lowercase hex characters (the SHA-256 of the artifact, e.g. from `sha256sum`)',
    );
  });

  it('deploy.path: ~, .., anything else', () => {
    expect(deployPath('~/web')).toMatch(/`~` is not expanded$/);
    expect(deployPath('a/../b')).toBe('must not contain a `..` segment');
    expect(deployPath('a\nb')).toBe(
      "must be a single-line path, absolute or relative to the login user's home",
    );
    expect(deployPath(3)).toMatch(/^must be a single-line path/);
  });

  it('relative paths: every kind of escape', () => {
    expect(relative('/etc/passwd')).toBe(
      'must be a relative path, got the absolute path `/etc/passwd`',
    );
    expect(relative('ok/path')).toBe('must be a relative path');
    expect(relativePathProblem('')).toBe('must be a non-empty relative path');
    expect(relativePathProblem(7)).toBe('must be a non-empty relative path');
    expect(relativePathProblem('a\\b')).toBe('must use forward slashes (`/`), not backslashes');
    expect(relativePathProblem('C:x')).toMatch(/absolute path/);
    expect(relativePathProblem('~/x')).toBe('must be a relative path; `~` is not expanded');
    expect(relativePathProblem('a/../../b')).toMatch(/`\.\.` segment/);
    expect(relativePathProblem('a\0b')).toBe('must not contain NUL characters');
    expect(relativePathProblem('build/web.tgz')).toBeUndefined();
  });
});

describe('paths and the locator', () => {
  it('JSON pointers through lists and mappings; missing keys; ~0 and ~1', () => {
    const data = { a: [{ 'x/y': 1, 'm~n': 2 }] };
    expect(pointerToSegments('/a/0/x~1y', data)).toEqual(['a', 0, 'x/y']);
    expect(pointerToSegments('/a/0/m~0n', data)).toEqual(['a', 0, 'm~n']);
    expect(pointerToSegments('/nope/deeper', data)).toEqual(['nope', 'deeper']);
    expect(valueAt(data, ['a', 0, 'x/y'])).toBe(1);
    expect(valueAt(data, ['a', 'zero'])).toBeUndefined();
    expect(valueAt(data, [0])).toBeUndefined();
  });

  it('a problem at the root has no label and sits on line 1', () => {
    const parsed = parseYaml('a: 1\n', 'f.yml');
    if (!parsed.ok) throw new Error('parse');
    const locator = new Locator(parsed.value, 'f.yml');
    expect(locator.problem({ path: [], anchor: 'value', message: 'whole file' })).toEqual({
      file: 'f.yml',
      line: 1,
      column: 1,
      message: 'whole file',
    });
    expect(locator.problem({ path: ['zz', 'deep'], anchor: 'parent', message: 'm' })).toMatchObject(
      {
        line: 1,
        column: 1,
        message: '`zz.deep`: m',
      },
    );
    expect(locator.raw(['a'])).toBe('1');
    expect(locator.raw(['nope'])).toBeUndefined();
  });
});

describe('suggestions and code spans', () => {
  it('the closest name within a third of its length; none for long or far names', () => {
    expect(closest('relase', ['release', 'reason'])).toBe('release');
    expect(closest('RELEASE', ['release'])).toBe('release');
    expect(closest('xyz', ['release'])).toBeUndefined();
    expect(closest('x'.repeat(65), ['x'.repeat(65)])).toBeUndefined();
  });

  it('code spans are one line, without backticks, at most 80 characters inside', () => {
    expect(codeSpan('a\n`b`\tc')).toBe("`a 'b' c`");
    expect(codeSpan('y'.repeat(100))).toBe(`\`${'y'.repeat(77)}...\``);
  });
});

describe('parseYaml limits and empty files', () => {
  it('the size limit is in UTF-8 bytes, inclusive', () => {
    const pad = (n: number) => `a: "${'x'.repeat(n - 6)}"\n`;
    expect(pad(MAX_YAML_BYTES)).toHaveLength(MAX_YAML_BYTES);
    expect(parseYaml(pad(MAX_YAML_BYTES), 'f.yml').ok).toBe(true);
    expect(problem(pad(MAX_YAML_BYTES + 1))?.message).toBe(tooLargeMessage(MAX_YAML_BYTES + 1));
    const wide = `a: "${'é'.repeat(MAX_YAML_BYTES / 2)}"\n`;
    expect(wide.length).toBeLessThan(MAX_YAML_BYTES);
    expect(problem(wide)?.message).toMatch(/^file is too large \(257 KiB\)/);
  });

  it('1 MiB is said in MiB, just below in KiB', () => {
    expect(tooLargeMessage(1024 * 1024)).toMatch(/\(1\.0 MiB\)/);
    expect(tooLargeMessage(1024 * 1024 - 1)).toMatch(/\(1024 KiB\)/);
  });

  it.each([[''], ['~\n'], ['null\n'], ['--- \n']])('%j is an empty file', (text) => {
    expect(problem(text)).toEqual({
      file: 'f.yml',
      line: 1,
      column: 1,
      message: 'the file is empty; expected a mapping of fields',
    });
  });

  it('a duplicate quoted key is named without its quotes', () => {
    expect(problem("'a': 1\n'a': 2\n")?.message).toBe(
      'duplicate key `a`; each field may appear only once in a mapping',
    );
  });
});
