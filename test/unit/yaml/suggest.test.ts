// "Did you mean …?": edit distance with adjacent transpositions, and the closest allowed name
// within a third of the name's length.
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../src/yaml/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['release', 'relaese', 1],
    ['ab', 'ba', 1],
    ['abcd', 'badc', 2],
    ['ca', 'abc', 3],
    ['abc', 'abc', 0],
    ['abcdef', 'abdcef', 1],
    ['a', 'b', 1],
    ['ab', 'ab', 0],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  it('the nearest candidate, first one on ties', () => {
    expect(closest('relase', ['reason', 'release'])).toBe('release');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  });

  it('a transposition counts once', () => {
    expect(closest('relaese', ['release'])).toBe('release');
  });

  it('allowed distance: a third of the length, at least 1', () => {
    expect(closest('ab', ['xy'])).toBeUndefined(); // 2 > 1
    expect(closest('abcdef', ['abcxyf'])).toBe('abcxyf'); // 2 <= 2
    expect(closest('abcdef', ['axcxyf'])).toBeUndefined(); // 3 > 2
    expect(closest('abcdefghi', ['abcdefghixyz'])).toBe('abcdefghixyz'); // length differs by 3 = allowed
    expect(closest('abcdefghi', ['abcdefghiwxyz'])).toBeUndefined(); // differs by 4
  });

  it('names of up to 64 characters are compared; longer ones never', () => {
    expect(closest('x'.repeat(64), ['x'.repeat(63)])).toBe('x'.repeat(63));
    expect(closest('x'.repeat(65), ['x'.repeat(64)])).toBeUndefined();
  });

  it('no candidates: none', () => {
    expect(closest('a', [])).toBeUndefined();
  });
});
