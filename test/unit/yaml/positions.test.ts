// Positions from the parser's events directly (the loader refuses multi-document files and
// complex keys before asking for positions; the collector still copes), and the locator's last
// fall-back when nothing is known.
import { EVENT_ID, parseEvents } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { Locator } from '../../../src/yaml/locate.js';
import { parseYaml } from '../../../src/yaml/parse-yaml.js';
import { collectPositions, LineIndex } from '../../../src/yaml/positions.js';

const positionsOf = (text: string) =>
  Object.fromEntries(collectPositions(text, parseEvents(text, {})));

describe('collectPositions', () => {
  it('only the first document', () => {
    const p = positionsOf('a: 1\n---\nb: 2\n');
    expect(Object.keys(p)).toEqual(['', 'a']);
  });

  it('complex keys (mappings and sequences as keys) keep the value positions right', () => {
    const p = positionsOf('? {x: 1}\n: one\n? [y]\n: two\nc: 3\n');
    expect(p.c).toEqual({ key: { line: 5, column: 1 }, value: { line: 5, column: 4 }, raw: '3' });
  });

  it('a block scalar header followed by a comment that runs to the end of the text', () => {
    const text = 'a: | # c';
    const events = parseEvents(`${text}\n  x\n`, {});
    // The scalar's content starts after the text we hand in: the scan reaches the end of it.
    const p = Object.fromEntries(collectPositions(text, events));
    expect(p.a!.key).toEqual({ line: 1, column: 1 });
  });

  it('a block scalar on the line after a comment points at its `|`', () => {
    const p = positionsOf('a: # the text follows\n  |\n  x\n');
    expect(p.a!.value).toEqual({ line: 2, column: 3 });
  });

  it('an empty explicit key has no position of its own (fast-check found `? |\\n? `)', () => {
    for (const text of ['? |\n? ', '? \n? \n', 'a: 1\n? \n']) {
      const all = Object.values(positionsOf(text)).flatMap((e) => [e.key, e.value]);
      for (const at of all.filter((x) => x !== undefined)) {
        expect(at.column, text).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('alias events have no position of their own', () => {
    const text = 'a: &x 1\nb: *x\nc: 2\n';
    const events = parseEvents(text, {});
    expect(events.some((e) => e.type === EVENT_ID.ALIAS)).toBe(true);
    const p = Object.fromEntries(collectPositions(text, events));
    expect(p.b).toBeUndefined();
    expect(p.c!.key).toEqual({ line: 3, column: 1 });
  });
});

describe('LineIndex', () => {
  it('offsets to lines and columns, with and without a byte order mark', () => {
    const lines = new LineIndex('ab\ncd\n');
    expect(lines.at(0)).toEqual({ line: 1, column: 1 });
    expect(lines.at(4)).toEqual({ line: 2, column: 2 });
    expect(lines.at(99)).toEqual({ line: 3, column: 94 });
    expect(new LineIndex('\uFEFFab').at(1)).toEqual({ line: 1, column: 1 });
  });
});

describe('Locator', () => {
  it('nothing known at any level: line 1, column 1', () => {
    const locator = new Locator({ value: { a: 1 }, positions: new Map() }, 'f.yml');
    expect(locator.position(['a'], 'value')).toEqual({ line: 1, column: 1 });
  });
});

describe('parseYaml odd cases', () => {
  it('two empty documents whose first marker hides behind a byte order mark: line 1', () => {
    const r = parseYaml('\uFEFF---\n--- \n', 'f.yml');
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          file: 'f.yml',
          line: 1,
          column: 1,
          message:
            'only one YAML document is allowed per file; remove the extra `---` and what follows',
        },
      ],
    });
  });

  it('an alias to an anchor that does not exist is refused like any alias', () => {
    const r = parseYaml('a: *nowhere\n', 'f.yml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]!.message).toBe(
      'aliases and anchors are not allowed in deploy-request files',
    );
  });
});
