// Fails when dist/ (or the validators generated into src/) differs from a fresh build of the
// sources: the committed bundle must be current.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = ['dist/index.js', 'dist/cli.js', 'src/yaml/schema-validators.generated.js'];
const before = files.map((f) => readFileSync(f, 'utf8'));
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const stale = files.filter((f, i) => readFileSync(f, 'utf8') !== before[i]);
if (stale.length > 0) {
  console.error(
    `dist/ is stale: ${stale.join(', ')} differ from a fresh build. Run "npm run build" and commit dist/.`,
  );
  process.exit(1);
}
console.log('dist/ is up to date.');
