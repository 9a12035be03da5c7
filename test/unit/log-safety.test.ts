// logSafe: nothing we print can be read by the runner as a workflow command, and the text stays
// readable (only the lines that would be commands change, and visibly).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logSafe } from '../../src/log-safety.js';
import { runnerCommandLines } from '../support/github-stand-in/runner-protocol.js';

describe('logSafe', () => {
  it('leaves ordinary text as it is', () => {
    for (const text of ['', 'web-1: checks passed', 'a: b::c', '  indented', 'x #[y] ## [z]']) {
      expect(logSafe(text)).toBe(text);
    }
    expect(logSafe('one\ntwo')).toBe('one\ntwo');
  });

  it('writes a would-be command line with a visible `> ` and breaks `##[` anywhere', () => {
    expect(logSafe('request: a\n::error::forged.yml')).toBe('request: a\n> ::error::forged.yml');
    expect(logSafe('x\r::add-mask::y\r\n \t::endgroup::')).toBe(
      'x\n> ::add-mask::y\n>  \t::endgroup::',
    );
    expect(logSafe('\u0085::warning::nel')).toBe('> \u0085::warning::nel');
    expect(logSafe('out: ##[warning]legacy')).toBe('out: ## [warning]legacy');
  });

  it('no output of any text is a workflow command to the runner (property)', () => {
    const piece = fc.constantFrom(
      '::',
      '##[',
      '\n',
      '\r',
      '\r\n',
      ' ',
      '\t',
      '\u0085',
      'x',
      ':',
      '#',
      '[',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(piece, { maxLength: 20 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(runnerCommandLines(logSafe(value))).toEqual([]);
        // Readable: line for line the same text, at most prefixed by `> ` and with `## [`.
        const norm = (line: string) => line.replace(/## \[/g, '##[');
        const lines = value.split(/\r\n|\r|\n/);
        const out = logSafe(value).split('\n');
        expect(out).toHaveLength(lines.length);
        out.forEach((line, i) => {
          expect([norm(line), norm(line.replace(/^> /, ''))]).toContain(norm(lines[i]!));
        });
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
