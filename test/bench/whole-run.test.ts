// `npm run bench -- --quick`: the whole-run case smoke-runs (N=2, a 1 MiB artifact, 1 round) and
// prints the table with its rows. Timings are the bench's findings, not asserted here.
import { describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../support/run-script.js';

function runQuickBench(): Promise<ScriptRun> {
  const env: Record<string, string | undefined> = { ...process.env, BENCH_QUICK: '1' };
  delete env.BENCH_ONLY;
  return runScript(process.execPath, ['bench/run.mjs', '--quick'], { env, timeoutMs: 110_000 });
}

describe('npm run bench -- --quick', () => {
  it('runs the whole run at N=2 and prints its rows', async () => {
    const run = await runQuickBench();
    const out = run.stdout;
    expect(run.code, `${out}\n${run.stderr}`).toBe(0);
    const row = (start: string) => out.split('\n').find((line) => line.startsWith(start));
    // Each row: ours, its baseline, a ratio of medians, a goal and a verdict.
    const confirm = row('whole run: /confirm, 1.0 MiB over HTTPS, N=2');
    expect(confirm).toMatch(/\d+\.\d\d s .*A \(scp \+ ssh, file on the runner\): \d+\.\d\d s/);
    expect(confirm).toMatch(/\d+\.\d\d × A .*≤ 0\.85 × A +\| (met|NOT MET)$/);
    const dispatch = row('whole run: workflow_dispatch (provision 1 dir + 5 checks), N=2');
    expect(dispatch).toMatch(/\d+ ms .*ssh sh -s per server: \d+ ms .*\d+\.\d\d × script/);
    const api = row('API requests per run: validate / review / dispatch / confirm');
    expect(api).toMatch(/\| \d+ \/ \d+ \/ \d+ \/ \d+ +\|/);
    expect(api).toMatch(/≤ 6 \/ 8 \/ 10 \/ 12/);
    // The per-run detail: the action's own CPU time and what it sent over SSH (at least the
    // artifact once per server in push mode: 2 × 1 MiB).
    const detail =
      /^\| push N=2: \/confirm \| [\d.]+ \| [\d.]+ \| ([\d.]+) \| ([\d.]+) MiB \|/m.exec(out);
    expect(detail, out).not.toBeNull();
    expect(Number(detail![1])).toBeGreaterThan(0);
    expect(Number(detail![2])).toBeGreaterThanOrEqual(2);
    if (out.includes('pull mode: not available')) {
      expect(row('pull mode, N=2')).toContain('pull mode: not available');
    } else {
      expect(row('whole run: /confirm, pull, N=2')).toBeDefined();
    }
    expect(out).toContain(
      'quick: a partial run, bench/results.json and bench/RESULTS.md left as they were',
    );
  }, 120_000);
});
