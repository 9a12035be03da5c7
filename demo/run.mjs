// `npm run demo`: builds dist/ when missing, bundles demo/run-demo.ts (and the TypeScript test
// support it reuses) with esbuild into .tmp/demo/, then runs it. Needs nothing beyond `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(join(root, 'dist/index.js'))) {
  console.log('dist/index.js is missing: building the action first (node scripts/build.mjs)…');
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Building dist/ failed; see the errors above.');
    process.exit(1);
  }
}

// Inside the repository (so that packages resolve from node_modules), one file per run (so that
// two demos at once do not clash), removed once loaded.
const outfile = join(root, '.tmp', 'demo', `run-demo-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(root, 'demo', 'run-demo.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: 'inline',
    loader: { '.sh': 'text' }, // the remote scripts (src/remote/*.sh)
    logLevel: 'error',
  });
} catch {
  console.error('Bundling the demo with esbuild failed; see the errors above.');
  process.exit(1);
}
let main;
try {
  ({ main } = await import(pathToFileURL(outfile).href));
} finally {
  rmSync(outfile, { force: true });
}
// Exit explicitly: everything the demo started is stopped by now.
process.exit(await main(process.argv.slice(2)));
