// The "@@<marker>" lines the .sh files print and the list the runner reads them by
// (src/remote/markers.ts) agree both ways, checked by scripts/check-markers.mjs, which the build
// runs too: a typo in a script, or a marker nobody prints any more, fails both (a typo on the
// TypeScript side fails tsc: markers are read through the Marker type).
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MARKERS } from '../../../src/remote/markers.js';
import { REPO_ROOT } from '../../support/repo-root.js';

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'scripts/check-markers.mjs');

async function check(args: string[] = []) {
  return run(process.execPath, [SCRIPT, ...args]).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('markers', () => {
  it('every marker the scripts print is listed, and every listed one is printed', async () => {
    expect(MARKERS.length).toBeGreaterThan(10);
    expect(await check()).toEqual({ code: 0, stderr: '' });
  });

  it('a typo in a script, or a listed marker no script prints, fails with both named (comments skipped)', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'dr-markers-'));
    await writeFile(
      join(dir, 'x.sh'),
      "# @@nothing\n_dr_say prepard\nprintf '@@step %s\\n' x\nprintf '@@stpe %s\\n' x\n",
    );
    await writeFile(
      join(dir, 'markers.ts'),
      "export const MARKERS = [\n  // a comment 'quoted'\n  'step',\n  'done',\n] as const;\n",
    );
    const result = await check([dir, join(dir, 'markers.ts')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').sort()).toEqual(
      [
        `markers: x.sh prints @@prepard, which is not in ${dir}/markers.ts`,
        `markers: x.sh prints @@stpe, which is not in ${dir}/markers.ts`,
        `markers: ${dir}/markers.ts lists 'done', which no script prints`,
      ].sort(),
    );
  });
});
