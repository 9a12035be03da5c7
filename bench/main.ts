// `npm run bench`: side-by-side benchmarks on this machine, every ratio measured in the same run.
// Bundled by bench/run.mjs into .tmp/bench/ and run there; see bench/RESULTS.md for the last table.
//   --quick or BENCH_QUICK=1  the whole run only, N=2, a 1 MiB artifact, 1 round (a smoke run;
//                       results files untouched)
//   BENCH_ROUNDS=5      timed rounds per engine case (at least 3); whole runs: BENCH_WHOLE_ROUNDS=3
//                       at N=8 and BENCH_SCALING_ROUNDS (default the same) at N=16 and 32
//   BENCH_WHOLE_SIZES=8 the whole runs' fleet sizes (default 8,16,32; the first carries the goals)
//   BENCH_WARMUP=0      no untimed warm-up round before the whole runs
//   BENCH_BUDGET_MIN=25 the hard stop, in minutes (a busy machine needs more)
//   BENCH_SKIP_ANSIBLE=1  leave the Ansible contenders out
//   BENCH_ONLY=whole-run,deploy,scaling,checks,overhead,validation  run only these parts (for
//                       working on the bench; results files are written only by a full run).
//                       `overhead` alone also counts API requests, in one small whole run at N=2.
//   BENCH_ARTIFACT_MIB=64  the artifact's size (the goals are for 64; a small one shows the
//                       runner's own cost per server without the servers' work around it)
//   BENCH_LOG_DIR=dir   keep each whole run's log (per-server step timings) in dir
//   BENCH_CONTENDERS=pull,a  the whole runs' contenders to run (push, pull, a, script; default
//                       all): one alone, under `perf record -a`, shows where the machine's time goes
//   BENCH_DEBUG=1       list every API request of each run, and stacks of failures
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setUpAnsible, type Ansible } from './lib/ansible.js';
import { ARTIFACT_MIB, deployContenders, makeArtifact } from './lib/deploy-cases.js';
import { runEngineCases, SCALING, type EngineResults } from './lib/engine-cases.js';
import { clearHomes, startFleet, type Fleet } from './lib/fleet.js';
import { mdTable, minMed } from './lib/format.js';
import { bundleSize, coldStart, validation } from './lib/overhead.js';
import { preflight } from './lib/preflight.js';
import { killAll } from './lib/proc.js';
import { textTable, type Row } from './lib/report.js';
import { writeResults } from './lib/results-file.js';
import { millis, type Summary } from './lib/stats.js';
import { runWholeRun, WHOLE_RUN_SIZES, type WholeRunData } from './whole-run/cases.js';
import {
  apiCounts,
  apiRow,
  WHOLE_RUN_DETAIL_HEAD,
  wholeRunDetail,
  wholeRunRows,
} from './whole-run/table.js';

export interface BenchOptions {
  root: string;
  /** The bundled deploy child (bench/deploy-child.ts). */
  childScript: string;
  /** Defaults to --quick in argv or BENCH_QUICK=1. */
  quick?: boolean;
}

const ROUNDS = Math.max(3, Math.floor(Number(process.env.BENCH_ROUNDS ?? 5)) || 5);
const WHOLE_ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_WHOLE_ROUNDS ?? 3)) || 3);
const SCALING_ROUNDS = Math.max(
  1,
  Math.floor(Number(process.env.BENCH_SCALING_ROUNDS ?? WHOLE_ROUNDS)) || WHOLE_ROUNDS,
);
// The whole run's fleet sizes (the first one carries the goals).
const WHOLE_SIZES = process.env.BENCH_WHOLE_SIZES
  ? process.env.BENCH_WHOLE_SIZES.split(',').map(Number)
  : WHOLE_RUN_SIZES;
const PARTS = ['whole-run', 'deploy', 'scaling', 'checks', 'overhead', 'validation'];
const COLD_RUNS = 10;
// Hard stop; a full run takes 12-18 minutes on a quiet machine.
const BUDGET_MS = (Number(process.env.BENCH_BUDGET_MIN) || 25) * 60_000;
const GOALS = { bundleBytes: 1.5e6, coldStartMs: 300 };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function main(opts: BenchOptions): Promise<number> {
  const quick =
    opts.quick ?? (process.argv.includes('--quick') || Boolean(process.env.BENCH_QUICK));
  const only =
    process.env.BENCH_ONLY?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? (quick ? ['whole-run'] : undefined);
  const want = (part: string) => !only || only.includes(part);
  const started = performance.now();
  const load0 = os.loadavg();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-bench-'));
  let fleet: Fleet | undefined;
  let ansible: Ansible | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      killAll();
      await ansible?.closeMasters().catch(() => undefined);
      if (fleet) {
        await clearHomes(fleet.servers).catch(() => undefined);
        await fleet.stop().catch(() => undefined);
      }
      await rm(dir, { recursive: true, force: true });
    })());
  const abort = (why: string, code: number) => {
    log(`\n${why}: stopping servers and removing temporary files…`);
    void cleanup().finally(() => process.exit(code));
  };
  const onSignal = (signal: NodeJS.Signals) => abort(`${signal}`, 130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  const watchdog = setTimeout(
    () => abort(`over the ${BUDGET_MS / 60_000} min budget`, 1),
    BUDGET_MS,
  );
  watchdog.unref();
  const phase = (name: string) =>
    log(`\n== ${name} (${((performance.now() - started) / 1000).toFixed(0)} s in)`);

  try {
    phase(`preflight${quick ? ' (quick)' : ''}`);
    const unknown = only?.filter((p) => !PARTS.includes(p)) ?? [];
    if (unknown.length)
      throw new Error(
        `BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`,
      );
    const engine = want('deploy') || want('scaling') || want('checks');
    const tools = await preflight(log, engine && !process.env.BENCH_SKIP_ANSIBLE);
    if (process.env.BENCH_SKIP_ANSIBLE) tools.ansibleMissing = 'BENCH_SKIP_ANSIBLE is set';
    log(
      Object.entries(tools.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    );
    log(`load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
    if (load0[0]! > 0.5 * os.cpus().length) {
      log(
        'note: the machine is busy; interleaved rounds share the noise, but absolute times suffer',
      );
    }

    const wholeSizes = quick ? [2] : WHOLE_SIZES;
    const fleetSize = Math.max(
      want('whole-run') ? Math.max(...wholeSizes) : 2,
      engine ? Math.max(...SCALING) : 2,
    );
    phase(`starting ${fleetSize} sshd servers on 127.0.0.1`);
    fleet = await startFleet(fleetSize, dir);
    if (tools.ansiblePlaybook) ansible = await setUpAnsible(tools.ansiblePlaybook, fleet, dir);
    const small = quick || !(engine || want('whole-run'));
    const artifactMiB = Number(process.env.BENCH_ARTIFACT_MIB) || ARTIFACT_MIB;
    const artifact = await makeArtifact(dir, small ? 1 : artifactMiB);
    log(`artifact: ${(artifact.size / 2 ** 20).toFixed(1)} MiB .tar.gz (random bytes)`);
    const deployers = await deployContenders({
      fleet,
      artifact,
      dir,
      childScript: opts.childScript,
      ansible,
    });

    const rows: Row[] = [];
    let whole: WholeRunData | undefined;
    if (want('whole-run') || want('overhead')) {
      const full = want('whole-run');
      phase(
        full
          ? `whole run: dist/index.js through the stand-in, N = ${wholeSizes.join(', ')}`
          : 'API requests: one small whole run at N=2',
      );
      whole = await runWholeRun({
        root: opts.root,
        dir,
        fleet,
        artifact,
        baselineA: deployers.a,
        sizes: full ? wholeSizes : [2],
        rounds: full && !quick ? WHOLE_ROUNDS : 1,
        scalingRounds: SCALING_ROUNDS,
        warmUp: full && !quick && process.env.BENCH_WARMUP !== '0',
        log,
      });
      if (full) rows.push(...wholeRunRows(whole));
      rows.push(apiRow(whole));
      for (const run of apiCounts(whole).runs) {
        log(`API requests, ${run.event} (${run.label}): ${run.calls.length}`);
        if (process.env.BENCH_DEBUG) for (const call of run.calls) log(`    ${call}`);
      }
    }

    const engineResults: EngineResults = await runEngineCases({
      fleet,
      deployers,
      ansible,
      rounds: ROUNDS,
      parts: { deploy: want('deploy'), scaling: want('scaling'), checks: want('checks') },
      log,
      phase,
    });
    rows.push(...engineResults.rows);

    const bundle = await bundleSize(opts.root);
    let cold: Summary | undefined;
    if (want('overhead')) {
      phase('overhead: cold start');
      cold = await coldStart(opts.root, fleet.servers.slice(0, 2), COLD_RUNS);
      log(
        `cold start to the first API request: ${minMed(cold, millis)} (min / median of ${COLD_RUNS})`,
      );
      rows.push(
        {
          case: 'bundle: dist/index.js and its chunks (index.js alone)',
          ours: `${(bundle.indexBytes / 1e6).toFixed(2)} MB (${(bundle.startBytes / 1e6).toFixed(2)} MB)`,
          baseline: '—',
          ratio: '—',
          goal: `≤ ${GOALS.bundleBytes / 1e6} MB`,
          met: bundle.indexBytes <= GOALS.bundleBytes,
        },
        {
          case: `cold start to 1st API request (${COLD_RUNS} runs)`,
          ours: minMed(cold, millis),
          baseline: '—',
          ratio: '—',
          goal: `≤ ${GOALS.coldStartMs} ms`,
          met: cold.median <= GOALS.coldStartMs,
        },
      );
    }
    let valid: Awaited<ReturnType<typeof validation>> | undefined;
    if (want('validation')) {
      phase('validation: CLI on 1,000 request files');
      valid = await validation(opts.root, path.join(dir, 'validate'), ROUNDS);
      rows.push({
        case: `validation: CLI, ${valid.files} files`,
        ours: minMed(valid.total, millis),
        baseline: `1 file: ${minMed(valid.single, millis)}`,
        ratio: `${valid.msPerFile.toFixed(2)} ms/file; ${valid.marginalMsPerFile.toFixed(2)} ms/file marginal`,
        goal: '— (reported)',
        met: null,
      });
    }

    const load1 = os.loadavg();
    const elapsed = (performance.now() - started) / 1000;
    const wholeDetail = whole && want('whole-run') ? wholeRunDetail(whole) : [];
    log('');
    log(textTable(rows));
    if (wholeDetail.length) log(`\n${mdTable(WHOLE_RUN_DETAIL_HEAD, wholeDetail)}`);
    if (engineResults.cpuRows.length) {
      log(`\n${mdTable(['run', 'wall s', 'client CPU s', 'machine busy'], engineResults.cpuRows)}`);
      log(
        `\n${mdTable(['ours', 'prepareArtifact ms', 'steps (median ms)', 'our CPU s', 'peak RSS MiB'], engineResults.stepRows)}`,
      );
    }
    const goals = rows.filter((r) => r.met !== null);
    log(
      `\n${goals.filter((r) => r.met).length} of ${goals.length} goals met; ${elapsed.toFixed(0)} s in all; load average ${load0[0]!.toFixed(2)} at the start, ${load1[0]!.toFixed(2)} at the end`,
    );
    if (only) {
      log(
        `${quick ? 'quick' : `BENCH_ONLY=${only.join(',')}`}: a partial run, bench/results.json and bench/RESULTS.md left as they were`,
      );
      return 0;
    }
    const date = new Date().toISOString();
    await writeResults(
      opts.root,
      {
        date,
        machine: tools.versions,
        ansible: tools.ansibleMissing ? `skipped: ${tools.ansibleMissing}` : 'run',
        loadAverage: { start: load0, end: load1 },
        rounds: ROUNDS,
        wholeRunRounds: WHOLE_ROUNDS,
        scalingRounds: SCALING_ROUNDS,
        durationS: Math.round(elapsed),
        artifactBytes: artifact.size,
        wholeRun: whole,
        ...engineResults.json,
        bundle,
        coldStartMs: cold,
        validation: valid,
        table: rows,
      },
      {
        date,
        machine: tools.versions,
        rounds: ROUNDS,
        wholeRunRounds: WHOLE_ROUNDS,
        scalingRounds: SCALING_ROUNDS,
        loadAverage: { start: load0, end: load1 },
        durationS: Math.round(elapsed),
        ansible: tools.ansibleMissing ? `skipped: ${tools.ansibleMissing}` : 'run',
        cores: os.cpus().length,
        rows,
        wholeRunHead: WHOLE_RUN_DETAIL_HEAD,
        wholeRunRows: wholeDetail,
        cpuRows: engineResults.cpuRows,
        stepRows: engineResults.stepRows,
      },
    );
    log('wrote bench/results.json and bench/RESULTS.md');
    return 0; // goals not met are findings (see the table), not a failed bench
  } finally {
    clearTimeout(watchdog);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
    await cleanup();
  }
}
