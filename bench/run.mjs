// `npm run bench`: rebuilds dist/ when it is missing or older than src/, bundles bench/main.ts and
// bench/deploy-child.ts with esbuild (packages stay external) into .tmp/bench/<pid>/, then runs the
// bench in this process. Needs root (real sshd servers, one Linux user each); see bench/main.ts.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDistIf, bundleTool } from '../scripts/bundle-tool.mjs';

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
buildDistIf(root, stale && 'dist/ is missing or older than src/');

const outdir = join(root, '.tmp', 'bench', String(process.pid));
// Also on Ctrl-C, when the bench ends the process itself after cleaning up.
process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
await bundleTool('the bench', {
  entryPoints: {
    main: join(root, 'bench/main.ts'),
    'deploy-child': join(root, 'bench/deploy-child.ts'),
  },
  outdir,
  outExtension: { '.js': '.mjs' },
});
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
