// `npm run demo`: builds dist/ when missing, bundles demo/run-demo.ts (and the TypeScript test
// support it reuses) with esbuild into .tmp/demo/, then runs it. Needs nothing beyond `npm ci`.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDistIf, bundleTool } from '../scripts/bundle-tool.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

buildDistIf(root, !existsSync(join(root, 'dist/index.js')) && 'dist/index.js is missing');

// Inside the repository (so that packages resolve from node_modules), one file per run (so that
// two demos at once do not clash), removed once loaded.
const outfile = join(root, '.tmp', 'demo', `run-demo-${process.pid}.mjs`);
await bundleTool('the demo', {
  entryPoints: [join(root, 'demo', 'run-demo.ts')],
  outfile,
});
let main;
try {
  ({ main } = await import(pathToFileURL(outfile).href));
} finally {
  rmSync(outfile, { force: true });
}
// Exit explicitly: everything the demo started is stopped by now.
process.exit(await main(process.argv.slice(2)));
