// The "@@<marker>" lines the .sh files print and the list the runner reads them by
// (src/remote/markers.ts) agree both ways: a typo in a script, or a marker nobody prints any more,
// fails here (a typo on the TypeScript side fails tsc: markers are read through the Marker type).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKERS } from '../../../src/remote/markers.js';

const dir = join(import.meta.dirname, '../../../src/remote');

/** The markers a script's code prints: "@@key" in printf formats, `_dr_say key …` (comments aside). */
function printedMarkers(text: string): Set<string> {
  const code = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  const found = new Set<string>();
  for (const m of code.matchAll(/@@([a-z]+|\+)/g)) found.add(m[1]!);
  for (const m of code.matchAll(/\b_dr_say\s+["']?([a-z+-]+)/g)) found.add(m[1]!);
  return found;
}

const printed = new Map(
  readdirSync(dir)
    .filter((name) => name.endsWith('.sh'))
    .map((name) => [name, printedMarkers(readFileSync(join(dir, name), 'utf8'))]),
);

describe('markers', () => {
  it.each([...printed.keys()])('%s prints only listed markers', (name) => {
    const unknown = [...printed.get(name)!].filter(
      (key) => !(MARKERS as readonly string[]).includes(key),
    );
    expect(unknown, `not in src/remote/markers.ts`).toEqual([]);
  });

  it('every listed marker is printed by some script', () => {
    const all = new Set([...printed.values()].flatMap((keys) => [...keys]));
    expect(MARKERS.filter((key) => !all.has(key))).toEqual([]);
  });

  it('the scan finds a typo (and skips comments)', () => {
    expect([...printedMarkers("# @@nothing\n_dr_say prepard\nprintf '@@stpe %s\\n' x\n")]).toEqual([
      'stpe',
      'prepard',
    ]);
  });
});
