// The repository's root directory, found from this module's location by walking up to the nearest
// package.json. A fixed relative path would break once esbuild bundles this module elsewhere
// (bench/run.mjs writes .tmp/bench/<pid>/main.mjs, demo/run.mjs .tmp/demo/…).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot();
