// `npm run bench`: side-by-side benchmarks on this machine, every ratio measured in the same run.
// Bundled by bench/run.mjs into .tmp/bench/ and run there; see bench/RESULTS.md for the last table.
//   BENCH_ROUNDS=5      timed rounds per case (at least 3; contenders interleaved, order rotated)
//   BENCH_SKIP_ANSIBLE=1  leave the Ansible contenders out
//   BENCH_ONLY=deploy,scaling,checks,overhead,validation  run only these parts (for working on the
//                       bench; results files are written only by a full run)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setUpAnsible, type Ansible } from './lib/ansible.js';
import { checkContenders } from './lib/checks-cases.js';
import {
  ARTIFACT_MIB,
  assertDeployed,
  deployContenders,
  DIRS,
  makeArtifact,
  type DeployRun,
} from './lib/deploy-cases.js';
import {
  clearHomes,
  cpuMark,
  cpuSince,
  startFleet,
  tidy,
  type CpuUse,
  type Fleet,
} from './lib/fleet.js';
import { apiCalls, bundleSize, coldStart, validation, type ApiCount } from './lib/overhead.js';
import { preflight } from './lib/preflight.js';
import { killAll } from './lib/proc.js';
import { markdownTable, textTable, type Row } from './lib/report.js';
import { millis, rotated, seconds, summarize, type Summary } from './lib/stats.js';

export interface BenchOptions {
  root: string;
  /** The bundled deploy child (bench/deploy-child.ts). */
  childScript: string;
}

const ROUNDS = Math.max(3, Math.floor(Number(process.env.BENCH_ROUNDS ?? 5)) || 5);
const SCALING = [1, 4, 8, 16];
const PARTS = ['deploy', 'scaling', 'checks', 'overhead', 'validation'];
const ONLY = process.env.BENCH_ONLY?.split(',')
  .map((p) => p.trim())
  .filter(Boolean);
const want = (part: string) => !ONLY || ONLY.includes(part);
const COLD_RUNS = 10;
const BUDGET_MS = 15 * 60_000; // hard stop; a normal run takes 4-8 minutes
const GOALS = {
  deployVsA: 0.85,
  deployVsAnsible: 0.25,
  checksVsScript: 1.2,
  checksVsAnsible: 0.15,
  memoryMiB: 160,
  bundleBytes: 1.5e6,
  coldStartMs: 300,
  api: { validate: 6, review: 8, dispatch: 10, confirm: 12 },
};

const pct = (share: number) => (Number.isFinite(share) ? `${(100 * share).toFixed(0)} %` : '—');

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const minMed = (s: Summary | undefined, fmt: (ms: number) => string) =>
  s ? `${fmt(s.min)} / ${fmt(s.median)}` : 'not run';
const ratio = (a: Summary | undefined, b: Summary | undefined) =>
  a && b ? a.median / b.median : NaN;
const times = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)} ×` : '—');
/** Ratio of medians, and the spread of the per-round ratios (the i-th runs share a round). */
const ratioText = (a: Summary | undefined, b: Summary | undefined, name: string) => {
  const r = ratio(a, b);
  if (!a || !b || !Number.isFinite(r)) return `— ${name}`;
  const rounds = a.samples.slice(0, b.samples.length).map((v, i) => v / b.samples[i]!);
  const spread = `rounds ${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}`;
  return `${times(r)} ${name} (${spread})`;
};

export async function main(opts: BenchOptions): Promise<number> {
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
    phase('preflight');
    const unknown = ONLY?.filter((p) => !PARTS.includes(p)) ?? [];
    if (unknown.length)
      throw new Error(
        `BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`,
      );
    const tools = await preflight(log);
    if (process.env.BENCH_SKIP_ANSIBLE) {
      tools.ansiblePlaybook = undefined;
      tools.ansibleMissing = 'BENCH_SKIP_ANSIBLE is set';
    }
    log(
      `${Object.entries(tools.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    log(`load average ${load0.map((l) => l.toFixed(2)).join(' ')}; ${ROUNDS} rounds per case`);
    if (load0[0]! > 0.5 * os.cpus().length) {
      log(
        'note: the machine is busy; interleaved rounds share the noise, but absolute times suffer',
      );
    }

    phase(`starting ${Math.max(...SCALING)} sshd servers on 127.0.0.1`);
    fleet = await startFleet(Math.max(...SCALING), dir);
    const all = fleet.servers;
    const first = (n: number) => all.slice(0, n);
    if (tools.ansiblePlaybook) ansible = await setUpAnsible(tools.ansiblePlaybook, fleet, dir);
    const artifact = await makeArtifact(dir);
    log(
      `artifact: ${(artifact.size / 2 ** 20).toFixed(1)} MiB .tar.gz (${ARTIFACT_MIB} MiB random bytes)`,
    );
    const deployers = await deployContenders({
      fleet,
      artifact,
      dir,
      childScript: opts.childScript,
      ansible,
    });
    const dirs = Object.values(DIRS);

    // ---- deploy, N = 8 ------------------------------------------------------------------------
    type Name = 'ours' | 'a' | 'ansible';
    const label: Record<Name, string> = { ours: 'ours', a: 'baseline A', ansible: 'Ansible' };
    const deployRuns = new Map<string, Array<DeployRun & { cpu: CpuUse }>>(); // `${name}@${n}`
    const deployOnce = async (name: Name, n: number, round: string) => {
      const fn = deployers[name];
      if (!fn) return;
      const before = cpuMark();
      const result = await fn(first(n));
      const cpu = cpuSince(before);
      await assertDeployed(first(n), DIRS[name], result.release, label[name]);
      await tidy(first(n), dirs);
      if (round !== 'warm-up') {
        const key = `${name}@${n}`;
        deployRuns.set(key, [...(deployRuns.get(key) ?? []), { ...result, cpu }]);
      }
      const extra = result.detail
        ? `; prepareArtifact ${millis(result.detail.prepareMs)}, peak RSS ${result.detail.maxRssMiB.toFixed(0)} MiB`
        : '';
      log(
        `deploy N=${n} ${round}: ${label[name]} ${seconds(result.ms)} (client CPU ${cpu.client.toFixed(1)} s, machine busy ${pct(cpu.machineBusy)}${extra})`,
      );
    };
    if (want('deploy')) {
      phase(`deploy: ${ARTIFACT_MIB} MiB to 8 servers (ours, baseline A, Ansible)`);
      const deployNames: Name[] = ['ours', 'a', ...(ansible ? (['ansible'] as Name[]) : [])];
      for (const name of deployNames) await deployOnce(name, 8, 'warm-up');
      for (let r = 0; r < ROUNDS; r++) {
        for (const name of rotated(deployNames, r))
          await deployOnce(name, 8, `round ${r + 1}/${ROUNDS}`);
      }
    }

    if (want('scaling'))
      phase('scaling: ours and baseline A at N = 1, 4, 16 (N = 8 from the deploy case)');
    for (let r = 0; r < (want('scaling') ? ROUNDS : 0); r++) {
      for (const n of SCALING.filter((n) => n !== 8)) {
        for (const name of rotated<Name>(['ours', 'a'], r)) {
          await deployOnce(name, n, `round ${r + 1}/${ROUNDS}`);
        }
      }
    }
    const dsum = (name: Name, n: number) => {
      const runs = deployRuns.get(`${name}@${n}`);
      return runs?.length ? summarize(runs.map((x) => x.ms)) : undefined;
    };
    const cpuOf = (name: Name, n: number) => {
      const runs = deployRuns.get(`${name}@${n}`) ?? [];
      return {
        clientS: summarize(runs.map((x) => x.cpu.client)),
        machineBusy: summarize(runs.map((x) => x.cpu.machineBusy)),
      };
    };
    const detail = (n: number) => {
      const runs = deployRuns.get(`ours@${n}`) ?? [];
      const stepNames = [...new Set(runs.flatMap((x) => Object.keys(x.detail!.steps)))];
      return {
        steps: Object.fromEntries(
          stepNames.map((step) => [
            step,
            summarize(runs.map((x) => x.detail!.steps[step] ?? 0)).median,
          ]),
        ),
        cpuS: summarize(runs.map((x) => x.detail!.cpuS)),
        prepareMs: summarize(runs.map((x) => x.detail!.prepareMs)),
        rolloutMs: summarize(runs.map((x) => x.detail!.rolloutMs)),
        childWallMs: summarize(runs.map((x) => x.detail!.childWallMs)),
        maxRssMiB: summarize(runs.map((x) => x.detail!.maxRssMiB)),
      };
    };

    // ---- checks, N = 8 ------------------------------------------------------------------------
    if (want('checks'))
      phase('checks: preset conditions on 8 servers (ours, one-exec script, Ansible)');
    const checkers = checkContenders(fleet, ansible);
    type CName = 'ours' | 'script' | 'ansible';
    const cLabel: Record<CName, string> = {
      ours: 'ours',
      script: 'one-exec script',
      ansible: 'Ansible',
    };
    const checkNames: CName[] = ['ours', 'script', ...(ansible ? (['ansible'] as CName[]) : [])];
    const checkRuns = new Map<CName, number[]>();
    const checkCpu = new Map<CName, CpuUse[]>();
    const checkRounds = ROUNDS + 2;
    for (let r = -1; r < (want('checks') ? checkRounds : -1); r++) {
      for (const name of rotated(checkNames, Math.max(r, 0))) {
        const before = cpuMark();
        const ms = await checkers[name]!(first(8));
        const cpu = cpuSince(before);
        if (r >= 0) {
          checkRuns.set(name, [...(checkRuns.get(name) ?? []), ms]);
          checkCpu.set(name, [...(checkCpu.get(name) ?? []), cpu]);
        }
        log(
          `checks N=8 ${r < 0 ? 'warm-up' : `round ${r + 1}/${checkRounds}`}: ${cLabel[name]} ${millis(ms)} (client CPU ${cpu.client.toFixed(2)} s, machine busy ${pct(cpu.machineBusy)})`,
        );
      }
    }
    const csum = (name: CName) => {
      const runs = checkRuns.get(name);
      return runs?.length ? summarize(runs) : undefined;
    };

    // ---- overhead -----------------------------------------------------------------------------
    const bundle = await bundleSize(opts.root);
    let cold: Summary | undefined;
    let api: ApiCount[] = [];
    if (want('overhead')) {
      phase('overhead: cold start, API calls per event');
      cold = await coldStart(opts.root, first(2), COLD_RUNS);
      log(
        `cold start to the first API request: ${minMed(cold, millis)} (min / median of ${COLD_RUNS})`,
      );
      api = await apiCalls(opts.root, first(2), fleet.privateKey, path.join(dir, 'api'));
      for (const c of api) {
        log(`API calls, ${c.event}: ${c.calls}`);
        if (process.env.BENCH_DEBUG) for (const call of c.list) log(`    ${call}`);
      }
    }

    let valid: Awaited<ReturnType<typeof validation>> | undefined;
    if (want('validation')) {
      phase('validation: CLI on 1,000 request files');
      valid = await validation(opts.root, path.join(dir, 'validate'), ROUNDS);
      log(
        `validate 1000 files: ${minMed(valid.total, millis)}; ${valid.msPerFile.toFixed(2)} ms per file`,
      );
    }

    // ---- table --------------------------------------------------------------------------------
    const rows: Row[] = [];
    const [o8, a8, x8] = [dsum('ours', 8), dsum('a', 8), dsum('ansible', 8)];
    const rA8 = ratio(o8, a8);
    const rX8 = ratio(o8, x8);
    rows.push(
      {
        case: `deploy ${ARTIFACT_MIB} MiB, N=8: vs A`,
        ours: minMed(o8, seconds),
        baseline: `A: ${minMed(a8, seconds)}`,
        ratio: ratioText(o8, a8, 'A'),
        goal: `≤ ${GOALS.deployVsA} × A`,
        met: rA8 <= GOALS.deployVsA,
      },
      {
        case: `deploy ${ARTIFACT_MIB} MiB, N=8: vs Ansible`,
        ours: minMed(o8, seconds),
        baseline: `Ansible: ${minMed(x8, seconds)}`,
        ratio: ratioText(o8, x8, 'Ansible'),
        goal: `≤ ${GOALS.deployVsAnsible} × Ansible`,
        met: rX8 <= GOALS.deployVsAnsible,
      },
    );
    for (const n of SCALING.filter((n) => n !== 8)) {
      const r = ratio(dsum('ours', n), dsum('a', n));
      rows.push({
        case: `scaling: deploy N=${n} vs A${n === 4 ? ' (N=8: first row)' : ''}`,
        ours: minMed(dsum('ours', n), seconds),
        baseline: `A: ${minMed(dsum('a', n), seconds)}`,
        ratio: ratioText(dsum('ours', n), dsum('a', n), 'A'),
        goal: n === 1 ? '— (reference)' : `≤ ${GOALS.deployVsA} × A`,
        met: n === 1 ? null : r <= GOALS.deployVsA,
      });
    }
    const [oc, sc, xc] = [csum('ours'), csum('script'), csum('ansible')];
    const rS = ratio(oc, sc);
    const rX = ratio(oc, xc);
    rows.push(
      {
        case: 'checks N=8: vs one-exec script',
        ours: minMed(oc, millis),
        baseline: `script: ${minMed(sc, millis)}`,
        ratio: ratioText(oc, sc, 'script'),
        goal: `≤ ${GOALS.checksVsScript} × script`,
        met: rS <= GOALS.checksVsScript,
      },
      {
        case: 'checks N=8: vs Ansible',
        ours: minMed(oc, millis),
        baseline: `Ansible: ${minMed(xc, millis)}`,
        ratio: ratioText(oc, xc, 'Ansible'),
        goal: `≤ ${GOALS.checksVsAnsible} × Ansible`,
        met: rX <= GOALS.checksVsAnsible,
      },
    );
    const rss = detail(16).maxRssMiB;
    rows.push({
      case: 'memory: peak RSS, deploy N=16',
      ours: `${rss.min.toFixed(0)} / ${rss.median.toFixed(0)} MiB (max ${rss.max.toFixed(0)})`,
      baseline: '—',
      ratio: '—',
      goal: `≤ ${GOALS.memoryMiB} MiB`,
      met: rss.max <= GOALS.memoryMiB,
    });
    rows.push({
      case: 'bundle: dist/index.js',
      ours: `${(bundle.indexBytes / 1e6).toFixed(2)} MB (${bundle.indexBytes} B)`,
      baseline: '—',
      ratio: '—',
      goal: `≤ ${GOALS.bundleBytes / 1e6} MB`,
      met: bundle.indexBytes <= GOALS.bundleBytes,
    });
    rows.push({
      case: `cold start to 1st API request (${COLD_RUNS} runs)`,
      ours: minMed(cold, millis),
      baseline: '—',
      ratio: '—',
      goal: `≤ ${GOALS.coldStartMs} ms`,
      met: cold ? cold.median <= GOALS.coldStartMs : false,
    });
    for (const c of api) {
      const limit = c.event.startsWith('validate')
        ? GOALS.api.validate
        : c.event.startsWith('review')
          ? GOALS.api.review
          : c.event.startsWith('dispatch')
            ? GOALS.api.dispatch
            : GOALS.api.confirm;
      rows.push({
        case: `API calls: ${c.event}`,
        ours: String(c.calls),
        baseline: '—',
        ratio: '—',
        goal: `≤ ${limit}`,
        met: c.calls <= limit,
      });
    }
    if (valid) {
      rows.push({
        case: `validation: CLI, ${valid.files} files`,
        ours: `${minMed(valid.total, millis)}`,
        baseline: `1 file: ${minMed(valid.single, millis)}`,
        ratio: `${valid.msPerFile.toFixed(2)} ms/file; ${valid.marginalMsPerFile.toFixed(2)} ms/file marginal`,
        goal: '— (reported)',
        met: null,
      });
    }

    // Where the time goes: CPU seconds against wall time (cores × wall is the machine's capacity).
    const cores = os.cpus().length;
    const cpuRows: string[][] = [];
    for (const key of deployRuns.keys()) {
      const [name, n] = key.split('@') as [Name, string];
      const wall = dsum(name, Number(n))!.median / 1000;
      const c = cpuOf(name, Number(n));
      cpuRows.push([
        `deploy N=${n}: ${label[name]}`,
        wall.toFixed(2),
        c.clientS.median.toFixed(2),
        pct(c.machineBusy.median),
      ]);
    }
    for (const [name, marks] of checkCpu) {
      const wall = csum(name)!.median / 1000;
      cpuRows.push([
        `checks N=8: ${cLabel[name]}`,
        wall.toFixed(2),
        summarize(marks.map((m) => m.client)).median.toFixed(2),
        pct(summarize(marks.map((m) => m.machineBusy)).median),
      ]);
    }
    const stepRows = SCALING.map((n) => {
      const d = detail(n);
      const steps = Object.entries(d.steps)
        .map(([step, ms]) => `${step} ${Math.round(ms)}`)
        .join(', ');
      return [
        `N=${n}`,
        `${Math.round(d.prepareMs.median)}`,
        steps,
        `${d.cpuS.median.toFixed(2)}`,
        `${d.maxRssMiB.median.toFixed(0)}`,
      ];
    });

    const load1 = os.loadavg();
    const elapsed = (performance.now() - started) / 1000;
    log('');
    log(textTable(rows));
    const goals = rows.filter((r) => r.met !== null);
    log(`\n${mdTable(['run', 'wall s', 'client CPU s', 'machine busy'], cpuRows)}`);
    log(
      `\n${mdTable(['ours', 'prepareArtifact ms', 'steps (median ms)', 'our CPU s', 'peak RSS MiB'], stepRows)}`,
    );
    log(
      `\n${goals.filter((r) => r.met).length} of ${goals.length} goals met; ${elapsed.toFixed(0)} s in all; load average ${load0[0]!.toFixed(2)} at the start, ${load1[0]!.toFixed(2)} at the end`,
    );

    const results = {
      date: new Date().toISOString(),
      machine: tools.versions,
      ansible: tools.ansibleMissing ? `skipped: ${tools.ansibleMissing}` : 'run',
      loadAverage: { start: load0, end: load1 },
      rounds: ROUNDS,
      durationS: Math.round(elapsed),
      artifactBytes: artifact.size,
      deploy: Object.fromEntries(
        [...deployRuns.keys()].map((key) => {
          const [name, n] = key.split('@') as [Name, string];
          return [key, dsum(name, Number(n))];
        }),
      ),
      oursDetail: Object.fromEntries(SCALING.map((n) => [`N=${n}`, detail(n)])),
      cpuSeconds: {
        deploy: Object.fromEntries(
          [...deployRuns.keys()].map((key) => {
            const [name, n] = key.split('@') as [Name, string];
            return [key, cpuOf(name, Number(n))];
          }),
        ),
        checks: Object.fromEntries(
          [...checkCpu].map(([name, marks]) => [
            name,
            {
              clientS: summarize(marks.map((m) => m.client)),
              machineBusy: summarize(marks.map((m) => m.machineBusy)),
            },
          ]),
        ),
      },
      checks: { ours: oc, script: sc, ansible: xc },
      bundle,
      coldStartMs: cold,
      apiCalls: api,
      validation: valid,
      table: rows,
    };
    if (ONLY) {
      log(
        `BENCH_ONLY=${ONLY.join(',')}: a partial run, bench/results.json and bench/RESULTS.md left as they were`,
      );
      return 0;
    }
    await writeFile(
      path.join(opts.root, 'bench/results.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    const md = path.join(opts.root, 'bench/RESULTS.md');
    await writeFile(
      md,
      await prettierFormat(md, resultsMarkdown(rows, results, cpuRows, stepRows, cores)),
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

/** In the repository's Prettier style, so that `npm run format:check` stays green. */
async function prettierFormat(file: string, text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text; // unformatted is still correct Markdown
  }
}

function mdTable(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function resultsMarkdown(
  rows: Row[],
  r: {
    date: string;
    machine: Record<string, string>;
    rounds: number;
    loadAverage: { start: number[]; end: number[] };
    durationS: number;
    ansible: string;
  },
  cpuRows: string[][],
  stepRows: string[][],
  cores: number,
): string {
  const goals = rows.filter((row) => row.met !== null);
  return `<!-- Generated by \`npm run bench\` (bench/main.ts); do not edit by hand. -->
# Benchmark results

${r.date.slice(0, 10)}: ${Object.entries(r.machine)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.
${r.rounds} timed rounds per case (checks: ${r.rounds + 2}), contenders interleaved with the order
rotated each round, after one untimed warm-up; load average ${r.loadAverage.start[0]!.toFixed(2)} at the start,
${r.loadAverage.end[0]!.toFixed(2)} at the end; ${r.durationS} s in all. Ansible: ${r.ansible}.
**${goals.filter((row) => row.met).length} of ${goals.length} goals met.**

${markdownTable(rows)}

### Where the time goes (medians)

"client CPU" is the deploying side (our process; or scp/ssh/ansible-playbook and what they reap,
not Ansible's detached ControlPersist masters). "machine busy" is the share of all ${cores} cores
busy during the run (servers, client and anything else running): near 100 % the run is CPU-bound
on this machine, and only less CPU work makes it faster. (Server-side CPU cannot be attributed
per process: sshd's monitor exits without reaping the session, so its time never reaches us.)

${mdTable(['run', 'wall s', 'client CPU s', 'machine busy'], cpuRows)}

Ours, per server (median ms of deployToServer's steps, as the engine reports them):

${mdTable(['servers', 'prepareArtifact ms', 'steps (ms)', 'our CPU s', 'peak RSS MiB'], stepRows)}

How each contender runs (all against the same real \`sshd\` servers on 127.0.0.1, one Linux user
and home each, the same ed25519 client key, host keys pinned):

- **ours**: a fresh \`node\` process runs \`prepareArtifact\` (SHA-256 + tar member scan of the
  local \`path\`) then \`rollout\` → \`deployToServer\` on every server at once (\`parallel\` and
  \`batch_size\` = N; no activate or health check): upload streamed through the SSH channel while
  the server hashes it, verify, unpack, metadata, switch \`current\`. Time = prepareArtifact +
  rollout, connections included (node start-up excluded; see results.json \`childWallMs\`).
  Peak RSS is that process's \`process.resourceUsage().maxRSS\`.
- **baseline A**: local \`sha256sum\`, then per server (all at once) \`scp\` of the file followed by
  one \`ssh\` running \`sha256sum -c && mkdir && tar -xzf && rm && ln -s && mv -T\`; OpenSSH's
  default cipher, \`StrictHostKeyChecking=yes\` against our known_hosts.
- **Ansible**: \`ansible-playbook\`, forks = N, ssh connection plugin, pipelining on, pinned
  known_hosts, no \`-C\` compression, ControlPersist masters closed between runs (every run connects
  afresh, like a CI job): \`file\` (mkdir) + \`copy\` (checksum-verified) + \`unarchive\`
  (remote_src) + \`file\` (symlink).
- **checks**: ours = \`checkEnvironment\` in the bench process (disk_free, memory, 3 binaries,
  2 ports, 1 command with expect; empty provision), connections included; script = one \`ssh\` per
  server running the same conditions as one shell script; Ansible = gather_facts (hardware subset)
  + command + shell + assert.
- **between runs** (untimed): old releases and uploads removed, then \`sync\`.
- **cold start**: spawn of \`node dist/index.js\` (pull_request opened) to the GitHub stand-in's
  first request, median of 10 after one warm-up run. **API calls**: every request the stand-in
  answered during one run of each event, in one flow: PR opened → 3 approvals (the last hands over)
  → workflow_dispatch (2 real sshd servers) → \`/confirm\`.
- **validation**: \`node dist/cli.js validate <1000 files> --config test/fixtures/config/valid.yml\`;
  "marginal" subtracts a 1-file run (process start-up).
`;
}
