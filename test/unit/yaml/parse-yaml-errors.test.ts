// js-yaml documents that any error may escape its parser: a user's file must still get a located
// answer, never a stack trace.
import { describe, expect, it, vi } from 'vitest';

vi.mock('js-yaml', async (importOriginal) => {
  const real = await importOriginal<typeof import('js-yaml')>();
  return {
    ...real,
    parseEvents: (text: string, options: never) => {
      if (text.startsWith('boom')) throw new RangeError('internal parser failure');
      if (text.startsWith('odd')) throw 'not even an Error';
      return real.parseEvents(text, options);
    },
  };
});

const { parseYaml } = await import('../../../src/yaml/parse-yaml.js');

describe('parseYaml when the parser fails unexpectedly', () => {
  it('an Error: its message, at line 1', () => {
    expect(parseYaml('boom: 1\n', 'f.yml')).toEqual({
      ok: false,
      problems: [
        {
          file: 'f.yml',
          line: 1,
          column: 1,
          message: 'could not read the YAML: internal parser failure',
        },
      ],
    });
  });

  it('anything else: its text', () => {
    expect(parseYaml('odd: 1\n', 'f.yml')).toMatchObject({
      ok: false,
      problems: [{ message: 'could not read the YAML: not even an Error' }],
    });
  });

  it('ordinary files still parse', () => {
    expect(parseYaml('a: 1\n', 'f.yml').ok).toBe(true);
  });
});
