// One deployment through our engine, alone in a fresh process (as the action runs it): prepareArtifact
// on a workspace `path`, then rollout with deployToServer on every server at once. Prints one JSON
// line: timings and the process's peak RSS. Started by bench/lib/deploy-cases.ts.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerConfig } from '../src/config/types.js';
import {
  deployToServer,
  makeReleaseId,
  prepareArtifact,
  rollbackServer,
  rollout,
  type ReleaseMetadata,
} from '../src/deploy/index.js';
import { createSshConnector } from '../src/ssh/connector.js';
import { deployConfig, releaseMetadata } from '../test/support/fixtures.js';
import { peakRssMiB } from './lib/peak-rss.mjs';

export interface DeployChildInput {
  privateKey: string;
  servers: ServerConfig[];
  workspace: string;
  /** Relative to workspace. */
  artifactPath: string;
  artifactSha256: string;
  tempDir: string;
  deployPath: string;
  /** Used for the release id and the lock owner. */
  seq: number;
}

export interface DeployChildOutput {
  ok: boolean;
  prepareMs: number;
  rolloutMs: number;
  /** prepareArtifact + rollout (connects included). */
  engineMs: number;
  maxRssMiB: number;
  /** CPU seconds of this process (user + system). */
  cpuS: number;
  /** Per step of deployToServer (connect, lock, upload, verify, unpack…): median ms over servers. */
  steps: Record<string, number>;
  releaseId: string;
  errors: string[];
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const input = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as DeployChildInput;
  const digest = createHash('sha256').update(`bench-${process.pid}-${input.seq}`).digest('hex');
  const releaseId = makeReleaseId(new Date(Date.UTC(2026, 0, 1) + input.seq * 1000), digest);
  const deploy = deployConfig({
    path: input.deployPath,
    // Every server at once, in one batch: what the baselines do.
    parallel: input.servers.length,
    batch_size: input.servers.length,
  });
  const now = new Date().toISOString();
  const metadata: ReleaseMetadata = releaseMetadata({
    application: 'bench',
    release: String(input.seq),
    digest,
    started_at: now,
    deployed_at: now,
  });
  const env = { RELEASE: String(input.seq), APPLICATION: 'bench', DIGEST: digest };
  const t0 = performance.now();
  const artifact = await prepareArtifact(
    { path: input.artifactPath, sha256: input.artifactSha256 },
    {
      workspace: input.workspace,
      workspaceSha: metadata.head_sha,
      headSha: metadata.head_sha,
      tempDir: input.tempDir,
    },
  );
  const t1 = performance.now();
  const connector = createSshConnector({ privateKey: input.privateKey, servers: input.servers });
  const lines: string[] = [];
  const result = await rollout({
    servers: input.servers,
    deploy,
    connect: (server) => connector.connect(server),
    artifactFile: artifact.file,
    deployOne: (session, log, artifactStream) =>
      deployToServer(session, {
        artifactFile: artifact.file,
        artifactStream,
        sha256: artifact.sha256,
        size: artifact.size,
        deploy,
        releaseId,
        digest,
        metadata,
        env,
        log,
      }),
    rollbackOne: (session, deployed, log) =>
      rollbackServer(session, {
        deploy,
        digest,
        releaseId,
        previousRelease: deployed.previousRelease ?? '',
        env,
        log,
      }),
    log: {
      group: (name, groupLines) => lines.push(name, ...groupLines),
      info: (l) => lines.push(l),
    },
  });
  const t2 = performance.now();
  const usage = process.resourceUsage();
  const byStep = new Map<string, number[]>();
  for (const r of result.results) {
    for (const step of r.steps) byStep.set(step.name, [...(byStep.get(step.name) ?? []), step.ms]);
  }
  const output: DeployChildOutput = {
    ok: result.ok,
    prepareMs: t1 - t0,
    rolloutMs: t2 - t1,
    engineMs: t2 - t0,
    maxRssMiB: peakRssMiB(),
    cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    steps: Object.fromEntries([...byStep].map(([name, ms]) => [name, Math.round(medianOf(ms))])),
    releaseId,
    errors: result.results.filter((r) => !r.ok).map((r) => `${r.server}: ${r.error}`),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  if (!result.ok) process.stderr.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
