// Fails when dist/ (or the validators generated into src/) differs from a fresh build of the
// sources: the committed bundle must be current, with exactly the chunks the build writes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const GENERATED = 'src/yaml/schema-validators.generated.js';
const snapshot = () =>
  new Map(
    [...readdirSync('dist').map((name) => `dist/${name}`), GENERATED].map((f) => [
      f,
      readFileSync(f, 'utf8'),
    ]),
  );
const before = snapshot();
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const after = snapshot();
const stale = [...new Set([...before.keys(), ...after.keys()])].filter(
  (f) => before.get(f) !== after.get(f),
);
if (stale.length > 0) {
  console.error(
    `dist/ is stale: ${stale.join(', ')} differ from a fresh build. Run "npm run build" and commit dist/.`,
  );
  process.exit(1);
}
console.log('dist/ is up to date.');
