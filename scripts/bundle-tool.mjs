// Shared by `npm run bench` (bench/run.mjs) and `npm run demo` (demo/run.mjs): make sure dist/ is
// there to run, then bundle the tool's TypeScript (and the test support it reuses) with esbuild,
// packages left external so they resolve from node_modules.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

/** Runs scripts/build.mjs when `why` is set (dist/ missing or stale); exits 1 when it fails. */
export function buildDistIf(root, why) {
  if (!why) return;
  console.log(`${why}: building it first (node scripts/build.mjs)…`);
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Building dist/ failed; see the errors above.');
    process.exit(1);
  }
}

/** esbuild for node 20, ESM, inline source maps, .sh files as text; exits 1 with a message when bundling fails. */
export async function bundleTool(what, options) {
  try {
    await build({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      sourcemap: 'inline',
      loader: { '.sh': 'text' }, // the remote scripts (src/remote/*.sh)
      logLevel: 'error',
      ...options,
    });
  } catch {
    console.error(`Bundling ${what} with esbuild failed; see the errors above.`);
    process.exit(1);
  }
}
