// `npm run bench`: rebuilds dist/ when it is missing or older than src/, bundles bench/main.ts and
// bench/deploy-child.ts with esbuild (packages stay external) into .tmp/bench/<pid>/, then runs the
// bench in this process. Needs root (real sshd servers, one Linux user each); see bench/main.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const dist = join(root, 'dist/index.js');
const stale =
  !existsSync(dist) ||
  !existsSync(join(root, 'dist/cli.js')) ||
  newest(join(root, 'src')) >
    Math.min(statSync(dist).mtimeMs, statSync(join(root, 'dist/cli.js')).mtimeMs);
if (stale) {
  console.log('dist/ is missing or older than src/: building it first (node scripts/build.mjs)…');
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Building dist/ failed; see the errors above.');
    process.exit(1);
  }
}

const outdir = join(root, '.tmp', 'bench', String(process.pid));
// Also on Ctrl-C, when the bench ends the process itself after cleaning up.
process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
try {
  await build({
    entryPoints: {
      main: join(root, 'bench/main.ts'),
      'deploy-child': join(root, 'bench/deploy-child.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
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
  console.error('Bundling the bench with esbuild failed; see the errors above.');
  process.exit(1);
}
let code = 1;
try {
  const { main } = await import(pathToFileURL(join(outdir, 'main.mjs')).href);
  code = await main({ root, childScript: join(outdir, 'deploy-child.mjs') });
} catch (error) {
  console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.BENCH_DEBUG && error instanceof Error) console.error(error.stack);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
// Exit explicitly: everything the bench started is stopped by now.
process.exit(code);
