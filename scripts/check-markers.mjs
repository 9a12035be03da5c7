// The "@@<marker>" lines the remote scripts (src/remote/*.sh) print and the one list the runner
// reads them by (src/remote/markers.ts) must agree both ways: a marker printed but not listed (a
// typo in a script) or listed but printed by no script fails the build (scripts/build.mjs) and
// the tests. A typo on the TypeScript side fails tsc: the runner reads markers through the Marker
// type. Usage: node scripts/check-markers.mjs [remote dir] [markers.ts]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The markers a script's code prints: "@@key" in printf formats, `_dr_say key …` (comments aside). */
export function printedMarkers(text) {
  const code = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  const found = new Set();
  for (const m of code.matchAll(/@@([a-z]+|\+)/g)) found.add(m[1]);
  for (const m of code.matchAll(/\b_dr_say\s+["']?([a-z+-]+)/g)) found.add(m[1]);
  return found;
}

/** The quoted entries of `export const MARKERS = [ … ]` in markers.ts (comments aside). */
export function listedMarkers(text) {
  const body = text.slice(text.indexOf('MARKERS = ['), text.indexOf('] as const'));
  const code = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/** One line per disagreement between the scripts in `dir` and the list in `markersFile`. */
export function markerProblems(dir, markersFile) {
  const listed = listedMarkers(readFileSync(markersFile, 'utf8'));
  const problems = [];
  const all = new Set();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.sh'))
    .sort()) {
    for (const key of printedMarkers(readFileSync(join(dir, name), 'utf8'))) {
      all.add(key);
      if (!listed.includes(key))
        problems.push(`${name} prints @@${key}, which is not in ${markersFile}`);
    }
  }
  for (const key of listed)
    if (!all.has(key)) problems.push(`${markersFile} lists '${key}', which no script prints`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = process.argv[2] ?? join(root, 'src/remote');
  const problems = markerProblems(dir, process.argv[3] ?? join(dir, 'markers.ts'));
  for (const line of problems) console.error(`markers: ${line}`);
  process.exit(problems.length ? 1 : 0);
}
