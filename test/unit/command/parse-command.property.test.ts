// Fuzzing the comment command parser: any comment body (and any prefix) gives a Command or null,
// never throws, and answers within 100 ms; what it returns is always well-formed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../../../src/command/parse-command.js';

/** Milliseconds one call takes; a slow call is timed once more, so a GC pause or a busy machine
 * (the suite runs with coverage, in parallel) is not mistaken for a slow input. */
function timed(run: () => Command | null): { result: Command | null; ms: number } {
  let start = performance.now();
  let result = run();
  let ms = performance.now() - start;
  if (ms >= 100) {
    start = performance.now();
    result = run();
    ms = performance.now() - start;
  }
  return { result, ms };
}

function wellFormed(result: Command | null, body: string, prefix: string): void {
  if (result === null) return;
  const firstLine = body
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .trim();
  expect(prefix).not.toBe('');
  expect(firstLine.startsWith(prefix)).toBe(true);
  expect(firstLine.length).toBeLessThanOrEqual(200);
  switch (result.kind) {
    case 'confirm':
      expect(result.digest).toBe(result.digest.toLowerCase());
      expect(result.digest).not.toMatch(/\s/);
      break;
    case 'unknown':
      expect(result.word).toMatch(/^[a-z][a-z-]*$/i);
      expect([
        'confirm',
        'recheck',
        'cancel',
        'help',
        'rollback',
        'status',
        'lock',
        'unlock',
      ]).not.toContain(result.word.toLowerCase());
      break;
    case 'lock':
      expect(result.reason).not.toBe('');
      if (result.forMinutes !== undefined) expect(result.forMinutes).toBeGreaterThan(0);
      break;
    case 'malformed':
      expect(result.problem).not.toBe('');
      expect(result.usage.startsWith(prefix)).toBe(true);
      break;
    case 'rollback':
    case 'status':
    case 'unlock':
      expect(Object.values(result).join(' ')).not.toMatch(/\s\S*\s/);
      break;
    default:
      expect(['recheck', 'cancel', 'help']).toContain(result.kind);
  }
}

const commandish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '/',
        'confirm',
        'recheck',
        'cancel',
        'help',
        'rollback',
        'status',
        'lock',
        'unlock',
        'for',
        '2h',
        ' ',
        '\t',
        '\n',
        '\r\n',
        '\uFEFF',
      ),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 70 }),
      fc.string({ maxLength: 10 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const check = (body: string, prefix: string): void => {
  const { result, ms } = timed(() => parseCommand(body, prefix));
  expect(ms).toBeLessThan(100);
  wellFormed(result, body, prefix);
};

describe('parseCommand never throws, answers fast, returns a well-formed command or null', () => {
  it('for arbitrary strings (any unicode), with the default prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (body) => check(body, '/')),
      {
        numRuns: 300,
      },
    );
  });

  it('for command-like text with arbitrary prefixes', () => {
    fc.assert(
      fc.property(commandish, fc.oneof(fc.constant('/'), fc.string({ maxLength: 3 })), check),
      { numRuns: 500 },
    );
  });

  it('for very long bodies and long whitespace runs (no regex blow-up)', () => {
    fc.assert(
      fc.property(fc.nat(200_000), fc.constantFrom(' ', '\t', 'a', '/', '\r', '- '), (n, unit) => {
        check(`/${unit.repeat(n)}`, '/');
        check(`${unit.repeat(n)}\n/help`, '/');
      }),
      { numRuns: 20 },
    );
  });

  it('only the first line can ever be a command', () => {
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: 50 })
          .filter((s) => !s.trim().startsWith('/') && !/[\r\n]/.test(s) && !s.startsWith('\uFEFF')),
        commandish,
        (first, rest) => {
          expect(parseCommand(`${first}\n${rest}`, '/')).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });
});
