// Puts a remote script together: the values as `name='value'` assignment lines (the only way
// data enters a script, invariant 7), then the shared prelude, then static .sh text.
import { exportLines, shellQuote } from '../ssh/shell-quote.js';
import prelude from './prelude.sh';

export type ShellValues = Record<string, string | number>;

/** `name='value'` lines. */
export function assignments(values: ShellValues): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${shellQuote(String(value))}\n`)
    .join('');
}

/** A list as numbered assignments: `<name>s` (the count) and `<name>_1` … `<name>_<count>`. */
export function numbered(name: string, values: readonly string[]): ShellValues {
  const out: ShellValues = { [`${name}s`]: values.length };
  values.forEach((value, i) => (out[`${name}_${i + 1}`] = value));
  return out;
}

/** A function of `export NAME='value'` lines, run in the subshell of a user command. */
export function exportFunction(name: string, env: Record<string, string>): string {
  // Not indented: a value may span lines, and indenting would change it.
  return `${name}() {\n${exportLines(env)}:\n}\n`;
}

/** Assignments, the prelude, then each part (static .sh text or generated function lines). */
export function assemble(values: ShellValues, ...parts: string[]): string {
  return [assignments(values), prelude, ...parts].join('');
}
