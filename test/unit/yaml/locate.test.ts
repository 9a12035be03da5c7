// The locator: which node a problem points at (key, value, the parent of a missing field), one
// problem per place, sorted, and capped.
import { describe, expect, it } from 'vitest';
import { Locator, MAX_PROBLEMS, type Issue } from '../../../src/yaml/locate.js';
import { parseYaml } from '../../../src/yaml/parse-yaml.js';
import { codeSpan } from '../../../src/yaml/code-span.js';

function locator(text: string): Locator {
  const parsed = parseYaml(text, 'f.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return new Locator(parsed.value, 'f.yml');
}

const TEXT = 'top:\n  name: web\n  list:\n    - 1\n    - 2\n  nested:\n    deep: x\n';

describe('Locator.position', () => {
  it('key, value and parent anchors', () => {
    const l = locator(TEXT);
    expect(l.position(['top', 'name'], 'key')).toEqual({ line: 2, column: 3 });
    expect(l.position(['top', 'name'], 'value')).toEqual({ line: 2, column: 9 });
    expect(l.position(['top', 'missing'], 'parent')).toEqual({ line: 1, column: 1 });
    expect(l.position(['top', 'list', 1], 'value')).toEqual({ line: 5, column: 7 });
  });

  it('a collection’s value anchor points at its key', () => {
    const l = locator(TEXT);
    expect(l.position(['top', 'nested'], 'value')).toEqual({ line: 6, column: 3 });
  });

  it('an unknown path falls back to the nearest known parent’s key', () => {
    const l = locator(TEXT);
    expect(l.position(['top', 'nested', 'nope', 'deeper'], 'value')).toEqual({
      line: 6,
      column: 3,
    });
  });
});

describe('Locator.problems', () => {
  it('one per place (a key and its value are two places), sorted by line then column', () => {
    const l = locator(TEXT);
    const issues: Issue[] = [
      { path: ['top', 'nested', 'deep'], anchor: 'value', message: 'later' },
      { path: ['top', 'name'], anchor: 'value', message: 'value problem' },
      { path: ['top', 'name'], anchor: 'value', message: 'same place, dropped' },
      { path: ['top', 'name'], anchor: 'key', message: 'key problem' },
    ];
    expect(l.problems(issues)).toEqual([
      { file: 'f.yml', line: 2, column: 3, message: '`top.name`: key problem' },
      { file: 'f.yml', line: 2, column: 9, message: '`top.name`: value problem' },
      { file: 'f.yml', line: 7, column: 11, message: '`top.nested.deep`: later' },
    ]);
  });

  it(`at most ${MAX_PROBLEMS}: the last line says how many more there are`, () => {
    const text = Array.from({ length: MAX_PROBLEMS + 5 }, (_, i) => `k${i}: ${i}`).join('\n');
    const l = locator(text);
    const issues = Array.from({ length: MAX_PROBLEMS + 5 }, (_, i): Issue => ({
      path: [`k${i}`],
      anchor: 'value',
      message: 'bad',
    }));
    const problems = l.problems(issues);
    expect(problems).toHaveLength(MAX_PROBLEMS);
    expect(problems[MAX_PROBLEMS - 2]!.message).toBe(`${codeSpan(`k${MAX_PROBLEMS - 2}`)}: bad`);
    expect(problems[MAX_PROBLEMS - 1]).toEqual({
      file: 'f.yml',
      line: MAX_PROBLEMS,
      column: 6,
      message: '6 more problems from here on are not shown; fix the ones above first',
    });
    expect(l.problems(issues.slice(0, MAX_PROBLEMS))).toHaveLength(MAX_PROBLEMS);
    expect(l.problems(issues.slice(0, MAX_PROBLEMS)).at(-1)!.message).toBe(
      `${codeSpan(`k${MAX_PROBLEMS - 1}`)}: bad`,
    );
  });
});

describe('codeSpan limits', () => {
  it('80 characters stay whole; runs of line breaks become one space', () => {
    expect(codeSpan('y'.repeat(80))).toBe(`\`${'y'.repeat(80)}\``);
    expect(codeSpan('a\r\n\n\tb')).toBe('`a b`');
  });
});
