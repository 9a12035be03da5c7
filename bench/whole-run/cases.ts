// The whole run as users wait for it (issue 14): `dist/index.js` from process start to exit, on
// the GitHub stand-in, real sshd servers and an artifact served over HTTPS, against baselines
// measured in the same command, in interleaved rounds with the order rotated each round.
import { readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestServer } from '../../test/support/sshd.js';
import { assertDeployed, DIRS, type Artifact, type DeployRun } from '../lib/deploy-cases.js';
import { tidy, type Fleet } from '../lib/fleet.js';
import { rotated, seconds, summarize, type Summary } from '../lib/stats.js';
import { dispatchBaseline } from './baselines.js';
import { runFlow, type ActionRun, type Transfer } from './flow.js';
import { startHttpsOrigin } from './https-origin.js';

export const WHOLE_RUN_SIZES = [8, 16, 32];
const DEPLOY_PATH: Record<Transfer, string> = {
  push: 'bench-whole-push',
  pull: 'bench-whole-pull',
};
const SCRIPT_PATH = 'bench-whole-script';

export interface WholeRunOptions {
  root: string;
  dir: string;
  fleet: Fleet;
  artifact: Artifact;
  /** Baseline A (parallel scp + ssh) from the engine bench's contenders. */
  baselineA: (servers: TestServer[]) => Promise<DeployRun>;
  /** The first size is the reference case (the goals); the others show scaling. */
  sizes: number[];
  rounds: number;
  /** Rounds at the other sizes (fewer keep a busy machine's run short). */
  scalingRounds: number;
  /** An untimed first round (page cache, sshd start-up). */
  warmUp: boolean;
  log: (line: string) => void;
}

type Contender = Transfer | 'a' | 'script';

export interface WholeRunData {
  sizes: number[];
  transfers: Transfer[];
  pullMissing?: string;
  artifactBytes: number;
  /** `${transfer}@${n}` → the flows' runs, one list per round. */
  flows: Record<string, ActionRun[][]>;
  /** Baseline A's wall ms by n. */
  a: Record<number, number[]>;
  /** The one-`sh -s`-per-server script's wall ms by n. */
  script: Record<number, number[]>;
}

/** Pull mode exists once the config schema knows `deploy.transfer`. */
export async function pullModeMissing(root: string): Promise<string | undefined> {
  const schema = await readFile(
    path.join(root, 'schemas/deploy-request-config.schema.json'),
    'utf8',
  );
  return /"transfer"\s*:/.test(schema) ? undefined : 'the config schema has no deploy.transfer yet';
}

/** `current` points at a release other than `before`, holding the whole payload. */
async function assertSwitched(
  servers: TestServer[],
  dir: string,
  before: Map<string, string>,
  payloadBytes: number,
): Promise<void> {
  for (const s of servers) {
    const base = path.join(s.home, dir);
    const target = await readlink(path.join(base, 'current')).catch(() => '');
    const size = await stat(path.join(base, target, 'app.bin')).then(
      (st) => st.size,
      () => -1,
    );
    if (!target || target === before.get(s.name) || size !== payloadBytes) {
      throw new Error(
        `whole run on ${s.name}: current -> ${target || '(none)'} (before: ${before.get(s.name) ?? '(none)'}), app.bin ${size} bytes; expected a new release with the payload`,
      );
    }
  }
}

async function currentTargets(servers: TestServer[], dir: string): Promise<Map<string, string>> {
  const entries = await Promise.all(
    servers.map(async (s) => {
      const target = await readlink(path.join(s.home, dir, 'current')).catch(() => '');
      return [s.name, target] as const;
    }),
  );
  return new Map(entries);
}

export async function runWholeRun(o: WholeRunOptions): Promise<WholeRunData> {
  const pullMissing = await pullModeMissing(o.root);
  const transfers: Transfer[] = pullMissing ? ['push'] : ['push', 'pull'];
  if (pullMissing) o.log(`pull mode: not available (${pullMissing}); pull cases skipped`);
  const origin = await startHttpsOrigin(o.artifact.file);
  const data: WholeRunData = {
    sizes: o.sizes,
    transfers,
    pullMissing,
    artifactBytes: o.artifact.size,
    flows: {},
    a: {},
    script: {},
  };
  const dirs = [...Object.values(DEPLOY_PATH), DIRS.a];
  try {
    o.log(`artifact served at ${origin.url}`);
    // BENCH_CONTENDERS=pull (say) runs only those (bench/main.ts), to profile one of them.
    const picked = process.env.BENCH_CONTENDERS?.split(',').map((c) => c.trim());
    const contenders = ([...transfers, 'a', 'script'] as Contender[]).filter(
      (c) => !picked || picked.includes(c),
    );
    const once = async (c: Contender, n: number, round: string, keep: boolean) => {
      const servers = o.fleet.servers.slice(0, n);
      if (c === 'a') {
        const result = await o.baselineA(servers);
        await assertDeployed(
          servers,
          DIRS.a,
          result.release,
          'baseline A',
          o.artifact.payloadBytes,
        );
        if (keep) (data.a[n] ??= []).push(result.ms);
        o.log(`whole run N=${n} ${round}: baseline A (scp + ssh) ${seconds(result.ms)}`);
      } else if (c === 'script') {
        const ms = await dispatchBaseline(o.fleet, servers, SCRIPT_PATH);
        if (keep) (data.script[n] ??= []).push(ms);
        o.log(`whole run N=${n} ${round}: ssh sh -s per server ${seconds(ms)}`);
      } else {
        const before = await currentTargets(servers, DEPLOY_PATH[c]);
        origin.resetCount();
        const runs = await runFlow({
          root: o.root,
          dir: o.dir,
          servers,
          privateKey: o.fleet.privateKey,
          artifact: { url: origin.url, sha256: o.artifact.sha256 },
          caFile: origin.caFile,
          deployPath: DEPLOY_PATH[c],
          transfer: c,
        });
        await assertSwitched(servers, DEPLOY_PATH[c], before, o.artifact.payloadBytes);
        if (keep) (data.flows[`${c}@${n}`] ??= []).push(runs);
        const d = runs.find((r) => r.event === 'dispatch')!;
        const f = runs.find((r) => r.event === 'confirm')!;
        const mib = (b: number | undefined) => ((b ?? NaN) / 2 ** 20).toFixed(1);
        o.log(
          `whole run N=${n} ${round}: ${c} dispatch ${seconds(d.ms)}, /confirm ${seconds(f.ms)} ` +
            `(action CPU ${f.probe?.cpuS.toFixed(2) ?? '?'} s, ${mib(f.probe?.sshBytes)} MiB over SSH, ` +
            `${mib(origin.bytesServed())} MiB served over HTTPS)`,
        );
      }
      await tidy(servers, dirs);
    };
    for (const n of o.sizes) {
      if (o.warmUp && n === o.sizes[0]) {
        for (const c of contenders) await once(c, n, 'warm-up', false);
      }
      const rounds = n === o.sizes[0] ? o.rounds : o.scalingRounds;
      for (let r = 0; r < rounds; r++) {
        for (const c of rotated(contenders, r)) await once(c, n, `round ${r + 1}/${rounds}`, true);
      }
    }
    return data;
  } finally {
    await origin.stop();
  }
}

/** Medians over rounds of one flow's runs of one kind. */
export function flowSummary(
  data: WholeRunData,
  transfer: Transfer,
  n: number,
  event: 'dispatch' | 'confirm',
  pick: (run: ActionRun) => number = (run) => run.ms,
): Summary | undefined {
  const flows = data.flows[`${transfer}@${n}`];
  if (!flows?.length) return undefined;
  return summarize(flows.map((runs) => pick(runs.find((run) => run.event === event)!)));
}

export function baselineSummary(data: WholeRunData, name: 'a' | 'script', n: number) {
  const samples = data[name][n];
  return samples?.length ? summarize(samples) : undefined;
}
