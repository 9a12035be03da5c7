// Bundles the action and the CLI into dist/ with esbuild (ESM).
// ssh2 reads __dirname/require at run time, so the banner provides both in ESM.
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markerProblems } from './check-markers.mjs';
import { OUTPUT, validatorsSource } from './gen-validators.mjs';

// A remote script printing a marker the runner does not know (or the reverse) fails the build.
const problems = markerProblems('src/remote', 'src/remote/markers.ts');
if (problems.length) {
  for (const line of problems) console.error(`markers: ${line}`);
  process.exit(1);
}

// The schemas' validators, compiled ahead of time (src/yaml/validate-schema.ts imports them).
writeFileSync(OUTPUT, validatorsSource());

const banner = [
  "import { createRequire as __drCreateRequire } from 'node:module';",
  "import { fileURLToPath as __drFileURLToPath } from 'node:url';",
  "import { dirname as __drDirname } from 'node:path';",
  'const require = __drCreateRequire(import.meta.url);',
  'const __filename = __drFileURLToPath(import.meta.url);',
  'const __dirname = __drDirname(__filename);',
].join('\n');

// @actions/core imports @actions/http-client (for getIDToken, which we never call), and that
// imports undici and tunnel: 420 KB of CommonJS that esbuild must keep and run at start-up,
// because an import of CommonJS may have side effects. These packages have none we rely on, so
// they are declared free of them: what is not used is left out (bundle 1.42 -> 0.99 MB, about
// 35 ms of every run's start on the bench machine). Anything that is used stays in.
const FREE_OF_SIDE_EFFECTS = /^(@actions\/http-client|undici|tunnel)$/;
const withoutSideEffects = {
  name: 'without-side-effects',
  setup(build) {
    build.onResolve({ filter: FREE_OF_SIDE_EFFECTS }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length) return { errors: resolved.errors };
      return { path: resolved.path, sideEffects: false };
    });
  },
};

const common = {
  plugins: [withoutSideEffects],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The remote scripts (src/remote/*.sh) are bundled as text.
  loader: { '.sh': 'text' },
  // cpu-features and the native crypto binding are optional in ssh2; pure JS fallbacks are used.
  external: ['cpu-features', '*.node'],
};

// Each entry is one file plus the chunks it loads on demand (dist/<entry>-<module>-<hash>.js):
// the action loads ssh2 only in runs that connect (src/ssh/load-library.ts). Chunks of an
// earlier build are removed first, so dist/ holds exactly what this build wrote.
for (const name of readdirSync('dist')) {
  if (/^[a-z]+-.+\.js$/.test(name)) rmSync(join('dist', name));
}
for (const [name, extra] of [
  ['index', ''],
  ['cli', '#!/usr/bin/env node\n'],
]) {
  const { metafile } = await build({
    ...common,
    entryPoints: { [name]: `src/${name}.ts` },
    outdir: 'dist',
    splitting: true,
    chunkNames: `${name}-[name]-[hash]`,
    banner: { js: extra + banner },
    metafile: true,
  });
  // A static import of src/ssh/ outside load-library.ts would bring ssh2 back into every start:
  // what the entry loads at start is its file and the chunks it imports statically.
  const atStart = new Set([`dist/${name}.js`]);
  for (const file of atStart) {
    for (const { path, kind } of metafile.outputs[file].imports) {
      if (kind === 'import-statement' && metafile.outputs[path]) atStart.add(path);
    }
  }
  const eager = [...atStart]
    .flatMap((file) => Object.keys(metafile.outputs[file].inputs))
    .filter((input) => /node_modules\/(ssh2|node-ssh)\//.test(input));
  if (eager.length) {
    console.error(
      `build: dist/${name}.js loads ${eager[0]} at start; import it through src/ssh/load-library.ts`,
    );
    process.exit(1);
  }
}
