// The engine-only breakdown: our deployment engine and checks in-process (artifact already on the
// runner), against baseline A, the one-exec script and Ansible, at N = 1, 4, 8, 16.
import type { Ansible } from './ansible.js';
import { checkContenders } from './checks-cases.js';
import {
  ARTIFACT_MIB,
  assertDeployed,
  DIRS,
  type Contenders,
  type DeployRun,
} from './deploy-cases.js';
import { cpuMark, cpuSince, tidy, type CpuUse, type Fleet } from './fleet.js';
import { pct, vsRow } from './format.js';
import type { Row } from './report.js';
import { millis, rotated, seconds, summarize, type Summary } from './stats.js';

export const SCALING = [1, 4, 8, 16];
export const ENGINE_GOALS = {
  deployVsA: 0.85,
  deployVsAnsible: 0.25,
  checksVsScript: 1.2,
  checksVsAnsible: 0.15,
  memoryMiB: 160,
};

type Name = 'ours' | 'a' | 'ansible';
type CName = 'ours' | 'script' | 'ansible';
const label: Record<Name, string> = { ours: 'ours', a: 'baseline A', ansible: 'Ansible' };
const cLabel: Record<CName, string> = {
  ours: 'ours',
  script: 'one-exec script',
  ansible: 'Ansible',
};

export interface EngineOptions {
  fleet: Fleet;
  deployers: Contenders;
  ansible?: Ansible;
  rounds: number;
  parts: { deploy: boolean; scaling: boolean; checks: boolean };
  log: (line: string) => void;
  phase: (name: string) => void;
}

export interface EngineResults {
  rows: Row[];
  /** Where the time goes: run, wall s, client CPU s, machine busy. */
  cpuRows: string[][];
  /** Ours per N: prepareArtifact ms, steps, our CPU s, peak RSS MiB. */
  stepRows: string[][];
  json: Record<string, unknown>;
}

export async function runEngineCases(o: EngineOptions): Promise<EngineResults> {
  const { fleet, deployers, ansible, rounds, log } = o;
  const first = (n: number) => fleet.servers.slice(0, n);
  const dirs = Object.values(DIRS);
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
  if (o.parts.deploy) {
    o.phase(`deploy: ${ARTIFACT_MIB} MiB to 8 servers (ours, baseline A, Ansible)`);
    const names: Name[] = ['ours', 'a', ...(ansible ? (['ansible'] as Name[]) : [])];
    for (const name of names) await deployOnce(name, 8, 'warm-up');
    for (let r = 0; r < rounds; r++) {
      for (const name of rotated(names, r)) await deployOnce(name, 8, `round ${r + 1}/${rounds}`);
    }
  }
  if (o.parts.scaling)
    o.phase('scaling: ours and baseline A at N = 1, 4, 16 (N = 8 from the deploy case)');
  for (let r = 0; r < (o.parts.scaling ? rounds : 0); r++) {
    for (const n of SCALING.filter((n) => n !== 8)) {
      for (const name of rotated<Name>(['ours', 'a'], r)) {
        await deployOnce(name, n, `round ${r + 1}/${rounds}`);
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
    const of = (pick: (d: NonNullable<DeployRun['detail']>) => number) =>
      summarize(runs.map((x) => pick(x.detail!)));
    return {
      steps: Object.fromEntries(
        stepNames.map((step) => [step, of((d) => d.steps[step] ?? 0).median]),
      ),
      cpuS: of((d) => d.cpuS),
      prepareMs: of((d) => d.prepareMs),
      rolloutMs: of((d) => d.rolloutMs),
      childWallMs: of((d) => d.childWallMs),
      maxRssMiB: of((d) => d.maxRssMiB),
    };
  };

  // ---- checks, N = 8
  if (o.parts.checks)
    o.phase('checks: preset conditions on 8 servers (ours, one-exec script, Ansible)');
  const checkers = checkContenders(fleet, ansible);
  const checkNames: CName[] = ['ours', 'script', ...(ansible ? (['ansible'] as CName[]) : [])];
  const checkRuns = new Map<CName, number[]>();
  const checkCpu = new Map<CName, CpuUse[]>();
  const checkRounds = rounds + 2;
  for (let r = -1; r < (o.parts.checks ? checkRounds : -1); r++) {
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
  const csum = (name: CName): Summary | undefined => {
    const runs = checkRuns.get(name);
    return runs?.length ? summarize(runs) : undefined;
  };

  // ---- rows
  const rows: Row[] = [];
  const G = ENGINE_GOALS;
  const [o8, a8, x8] = [dsum('ours', 8), dsum('a', 8), dsum('ansible', 8)];
  const deploy = `engine: deploy ${ARTIFACT_MIB} MiB`;
  rows.push(
    vsRow(`${deploy}, N=8: vs A`, o8, a8, 'A', G.deployVsA, seconds),
    vsRow(`${deploy}, N=8: vs Ansible`, o8, x8, 'Ansible', G.deployVsAnsible, seconds),
  );
  for (const n of SCALING.filter((n) => n !== 8)) {
    const name = `engine scaling: deploy N=${n} vs A${n === 4 ? ' (N=8: first row)' : ''}`;
    const row = vsRow(name, dsum('ours', n), dsum('a', n), 'A', G.deployVsA, seconds);
    rows.push(n === 1 ? { ...row, goal: '— (reference)', met: null } : row);
  }
  const [oc, sc, xc] = [csum('ours'), csum('script'), csum('ansible')];
  rows.push(
    vsRow('engine: checks N=8: vs one-exec script', oc, sc, 'script', G.checksVsScript, millis),
    vsRow('engine: checks N=8: vs Ansible', oc, xc, 'Ansible', G.checksVsAnsible, millis),
  );
  if (o.parts.scaling) {
    const rss = detail(16).maxRssMiB;
    rows.push({
      case: 'memory: peak RSS, deploy N=16',
      ours: `${rss.min.toFixed(0)} / ${rss.median.toFixed(0)} MiB (max ${rss.max.toFixed(0)})`,
      baseline: '—',
      ratio: '—',
      goal: `≤ ${G.memoryMiB} MiB`,
      met: rss.max <= G.memoryMiB,
    });
  }

  // Where the time goes: CPU seconds against wall time (cores × wall is the machine's capacity).
  const cpuRows: string[][] = [];
  for (const key of deployRuns.keys()) {
    const [name, n] = key.split('@') as [Name, string];
    const c = cpuOf(name, Number(n));
    cpuRows.push([
      `deploy N=${n}: ${label[name]}`,
      (dsum(name, Number(n))!.median / 1000).toFixed(2),
      c.clientS.median.toFixed(2),
      pct(c.machineBusy.median),
    ]);
  }
  for (const [name, marks] of checkCpu) {
    cpuRows.push([
      `checks N=8: ${cLabel[name]}`,
      (csum(name)!.median / 1000).toFixed(2),
      summarize(marks.map((m) => m.client)).median.toFixed(2),
      pct(summarize(marks.map((m) => m.machineBusy)).median),
    ]);
  }
  const measured = SCALING.filter((n) => deployRuns.has(`ours@${n}`));
  const stepRows = measured.map((n) => {
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
  const perKey = <T>(fn: (name: Name, n: number) => T) =>
    Object.fromEntries(
      [...deployRuns.keys()].map((key) => {
        const [name, n] = key.split('@') as [Name, string];
        return [key, fn(name, Number(n))];
      }),
    );
  const json = {
    deploy: perKey(dsum),
    oursDetail: Object.fromEntries(measured.map((n) => [`N=${n}`, detail(n)])),
    cpuSeconds: {
      deploy: perKey(cpuOf),
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
  };
  return {
    rows: o.parts.deploy || o.parts.scaling || o.parts.checks ? rows : [],
    cpuRows,
    stepRows,
    json,
  };
}
