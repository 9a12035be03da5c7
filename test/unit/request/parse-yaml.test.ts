import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { loadRequest } from '../../../src/request/load-request.js';
import { ALIAS_MESSAGE, MAX_YAML_BYTES, parseYaml } from '../../../src/yaml/parse-yaml.js';
import { request, validConfig } from './helpers.js';

const config = validConfig();

function refused(text: string) {
  const parsed = parseYaml(text, 'f.yml');
  if (parsed.ok) throw new Error('expected a refusal');
  expect(parsed.problems).toHaveLength(1);
  return parsed.problems[0];
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'
    .split('')
    .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'release: *i',
].join('\n');

describe('parseYaml refuses hostile input fast', () => {
  // Generous bounds: these are sanity checks, real timing lives in bench/.
  it('a 2 MB file before parsing it', () => {
    const text = `reason: "${'x'.repeat(2 * 1024 * 1024)}"\n`;
    const { result, ms } = timed(() => loadRequest(text, 'big.yml', config));
    expect(ms).toBeLessThan(1000);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: 'big.yml',
          line: 1,
          column: 1,
          message: expect.stringContaining('file is too large (2.0 MiB)'),
        },
      ],
    });
  });

  it('a file one byte over the limit, counted in UTF-8 bytes', () => {
    expect(refused(`# ${'é'.repeat(MAX_YAML_BYTES / 2)}\na: 1\n`)?.message).toContain(
      'at most 256 KiB',
    );
  });

  it('a billion-laughs alias bomb', () => {
    const { result, ms } = timed(() => loadRequest(BOMB, 'bomb.yml', config));
    expect(ms).toBeLessThan(1000);
    expect(result).toEqual({
      ok: false,
      problems: [{ file: 'bomb.yml', line: 1, column: 4, message: ALIAS_MESSAGE }],
    });
  });

  it('a lone anchor and a lone alias', () => {
    expect(refused('a: &x 1\n')).toMatchObject({ line: 1, column: 4, message: ALIAS_MESSAGE });
    expect(refused('a: 1\nb: *x\n')).toMatchObject({ line: 2, column: 4 });
  });

  it('deep nesting', () => {
    const { result, ms } = timed(() => parseYaml('['.repeat(5000), 'deep.yml'));
    expect(ms).toBeLessThan(1000);
    expect(result.ok ? '' : result.problems[0]?.message).toContain('nested too deeply');
  });
});

describe('parseYaml refuses', () => {
  it.each([
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n', 3, 1, 'duplicate key `a`'],
    ['a second document', 'a: 1\n---\nb: 2\n', 2, 1, 'only one YAML document is allowed'],
    [
      'a second document after an explicit start',
      '---\na: 1\n---\nb: 2\n',
      3,
      1,
      'only one YAML document',
    ],
    ['custom tags', 'a: !shell "rm -rf /"\n', 1, 4, 'custom YAML tags are not allowed'],
    [
      'YAML 1.1 types outside the core schema',
      'a: !!binary aGk=\n',
      1,
      4,
      'custom YAML tags are not allowed',
    ],
    ['an unclosed flow list', 'a: [1, 2\nb: 3\n', 2, 1, 'YAML syntax error'],
    ['a tab indentation', 'a:\n\tb: 1\n', 2, 1, 'YAML syntax error'],
    ['an empty file', '', 1, 1, 'the file is empty'],
    ['a comment-only file', '# nothing\n', 1, 1, 'the file is empty'],
  ])('%s', (_name, text, line, column, message) => {
    expect(refused(text)).toEqual({
      file: 'f.yml',
      line,
      column,
      message: expect.stringContaining(message),
    });
  });

  it('merge keys (they are not enabled, so `<<` is just an unknown field)', () => {
    const loaded = loadRequest(request({ '<<': '{ a: 1 }' }), 'r.yml', config);
    expect(loaded.ok ? '' : loaded.problems[0]?.message).toContain('`<<`: unknown field');
  });

  it('a `__proto__` key as an unknown field, without touching prototypes', () => {
    const loaded = loadConfig('__proto__: { polluted: true }\nversion: 1\n', 'c.yml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(loaded.ok ? [] : loaded.problems.map((p) => p.message)).toContain(
      '`__proto__`: unknown field; allowed here: version, requests, allow_self_approval, environments',
    );
  });
});

describe('parseYaml positions', () => {
  const text = [
    '# comment',
    'artifact:',
    '  url: "https://x"',
    'servers:',
    '  - web-1',
    '  - { name: b }',
    'reason: |',
    '  text',
    'mode: 0750',
    'empty:',
  ].join('\n');
  const parsed = parseYaml(text, 'f.yml');
  const positions = parsed.ok ? parsed.value.positions : new Map();

  it.each([
    ['', { value: { line: 2, column: 1 } }],
    ['artifact', { key: { line: 2, column: 1 }, value: { line: 3, column: 3 } }],
    ['artifact.url', { key: { line: 3, column: 3 }, value: { line: 3, column: 8 } }],
    ['servers[0]', { value: { line: 5, column: 5 } }],
    ['servers[1]', { value: { line: 6, column: 5 } }],
    ['servers[1].name', { key: { line: 6, column: 7 }, value: { line: 6, column: 13 } }],
    ['reason', { key: { line: 7, column: 1 }, value: { line: 7, column: 9 } }],
    ['mode', { key: { line: 9, column: 1 }, value: { line: 9, column: 7 }, raw: '0750' }],
    ['empty', { key: { line: 10, column: 1 } }],
  ])('%s', (path, expected) => {
    expect(positions.get(path)).toMatchObject(expected);
  });

  it('does not count a byte-order mark as a column', () => {
    const withBom = parseYaml('\ufeffa: 1\n', 'f.yml');
    expect(withBom.ok && withBom.value.positions.get('a')).toMatchObject({
      key: { line: 1, column: 1 },
    });
  });

  it('spells odd keys as quoted path segments', () => {
    const odd = parseYaml('environments:\n  eu.prod: 1\n', 'f.yml');
    expect(odd.ok && [...odd.value.positions.keys()]).toEqual([
      '',
      'environments',
      'environments["eu.prod"]',
    ]);
  });
});
