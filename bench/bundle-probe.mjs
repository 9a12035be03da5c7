// Bundles a bench probe as scripts/build.mjs bundles the action (ssh2 without its optional native
// binding), so probes measure what ships: node bench/bundle-probe.mjs bench/x.ts /tmp/x.mjs
import { build } from 'esbuild';
const banner = [
  "import { createRequire as __drCreateRequire } from 'node:module';",
  "import { fileURLToPath as __drFileURLToPath } from 'node:url';",
  "import { dirname as __drDirname } from 'node:path';",
  'const require = __drCreateRequire(import.meta.url);',
  'const __filename = __drFileURLToPath(import.meta.url);',
  'const __dirname = __drDirname(__filename);',
].join('\n');
const [entry, out] = process.argv.slice(2);
await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  external: ['cpu-features', '*.node'],
  banner: { js: banner },
});
