// Shared helpers for the deployment tests: small .tar.gz artifacts, configs, inputs, and looks
// at a test server's files (its home is on this machine).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readlink, readdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DeployConfig, ServerConfig } from '../../../src/config/types.js';
import type { ArtifactFeed } from '../../../src/deploy/artifact-feed.js';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { rollbackServer } from '../../../src/deploy/rollback-server.js';
import { rollout } from '../../../src/deploy/rollout.js';
import type { EnvironmentConfig } from '../../../src/config/types.js';
import type { RunContext } from '../../../src/edge/run-context.js';
import type { ActionSettings } from '../../../src/edge/settings.js';
import type { GitHubPort } from '../../../src/github/port.js';
import type { ServerSession, SshConnector } from '../../../src/ssh/types.js';
import { contextWith, type Recorded } from '../support/run-context.js';
import { makeReleaseId } from '../../../src/deploy/release-id.js';
import type { ServerDeployInput } from '../../../src/deploy/types.js';

export const run = promisify(execFile);

export interface Artifact {
  file: string;
  sha256: string;
  size: number;
}

let counter = 0;

/** A .tar.gz of files (and symlinks: name -> target), built with tar in a temp dir. */
export async function makeTarball(
  files: Record<string, string>,
  symlinks: Record<string, string> = {},
  tarArgs: string[] = [],
): Promise<Artifact> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-artifact-'));
  const root = path.join(dir, 'root');
  await mkdir(root);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content, { mode: 0o755 });
  }
  for (const [name, target] of Object.entries(symlinks)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await symlink(target, path.join(root, name));
  }
  const file = path.join(dir, `artifact-${++counter}.tar.gz`);
  await run('tar', ['-czf', file, ...tarArgs, '-C', root, '.']);
  const bytes = await readFile(file);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

import { deployConfig, releaseMetadata } from '../../support/fixtures.js';

export { deployConfig, releaseMetadata };

/** A digest per deployment (lowercase hex), distinct across a test file. */
export function digestFor(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

/** Inputs for one deployment; `second` makes release ids sortable in deployment order. */
export function deployInput(
  artifact: Artifact,
  deploy: DeployConfig,
  label: string,
  second: number,
  extra: Partial<ServerDeployInput> = {},
): ServerDeployInput {
  const digest = digestFor(label);
  const releaseId = makeReleaseId(new Date(Date.UTC(2026, 10, 25, 21, 0, second)), digest);
  return {
    artifactFile: artifact.file,
    sha256: artifact.sha256,
    size: artifact.size,
    deploy,
    releaseId,
    digest,
    metadata: releaseMetadata({ release: label, digest, artifact_sha256: artifact.sha256 }),
    env: { RELEASE: label, APPLICATION: 'web', ENVIRONMENT: 'staging', DIGEST: digest },
    ...extra,
  };
}

/** Reads the deploy path of a test server from the local filesystem. */
export function remote(home: string, deployPath = 'app') {
  const base = path.isAbsolute(deployPath) ? deployPath : path.join(home, deployPath);
  return {
    base,
    current: () => readlink(path.join(base, 'current')).catch(() => undefined),
    releases: async () =>
      (await readdir(path.join(base, 'releases')).catch(() => [] as string[])).sort(),
    entries: () => readdir(base).catch(() => [] as string[]),
    read: (relative: string) => readFile(path.join(base, relative), 'utf8'),
    readHome: (relative: string) =>
      readFile(path.join(home, relative), 'utf8').catch(() => undefined),
  };
}

/** An activate command that appends "<RELEASE_DIR> <ROLLBACK_FROM>" to ~/activations.log. */
export const LOG_ACTIVATION =
  'printf "%s %s\\n" "$RELEASE_DIR" "${ROLLBACK_FROM:-}" >> "$HOME/activations.log"';

export async function activations(home: string): Promise<string[]> {
  const text = await readFile(path.join(home, 'activations.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [dir = '', from = ''] = line.split(' ');
      return `${path.basename(dir)}${from ? ` <- ${from}` : ''}`;
    });
}

/** A ServerLog collecting lines. */
export function collectLog(): { info(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return { info: (line: string) => lines.push(line), lines };
}

/** The rollout of `input` to `servers` with the artifact from `feed` (streamed or spooled), quietly. */
export function rolloutOverFeed(o: {
  servers: ServerConfig[];
  deploy: DeployConfig;
  connector: SshConnector;
  feed: ArtifactFeed;
  input: ServerDeployInput;
}) {
  const { deploy, feed, input } = o;
  return rollout({
    servers: o.servers,
    deploy,
    connect: (server) => o.connector.connect(server),
    artifactFile: feed.file,
    artifactFeed: feed,
    deployOne: (session, log, artifactStream) =>
      deployToServer(session, { ...input, artifactFile: feed.file, artifactStream, log }),
    rollbackOne: (session, r, log) =>
      rollbackServer(session, {
        deploy,
        digest: input.digest,
        releaseId: r.releaseId,
        previousRelease: r.previousRelease!,
        env: input.env,
        log,
      }),
    log: { group: () => undefined, info: () => undefined },
  });
}

/** A RunContext that only opens SSH connections (with `privateKey`), recording its log. */
export function sshContext(privateKey: string): RunContext & { recorded: Recorded } {
  const settings = { sshPrivateKey: privateKey, repo: { owner: 'acme', repo: 'app' } };
  return contextWith({} as GitHubPort, settings as ActionSettings);
}

/** An environment of `servers` with `deploy`: what readLedgers and rollbackEnvironment read of it. */
export function environmentOf(servers: ServerConfig[], deploy: DeployConfig): EnvironmentConfig {
  return {
    servers,
    deploy,
    lock: { stale_after_minutes: 120 },
    approval: { stages: [], ordered: true },
    provision: { directories: [], files: [], commands: [] },
    checks: { binaries: [], ports_free: [], commands: [] },
    confirm: { within_hours: 24, requesters: [] },
    operators: [],
    rollback: {},
  };
}

/** Deploys one release per label, in order, on the session's server; returns their release ids. */
export async function deployReleases(
  session: ServerSession,
  deploy: DeployConfig,
  labels: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, label] of labels.entries()) {
    const input = deployInput(await makeTarball({ 'v.txt': label }), deploy, label, i + 1);
    const result = await deployToServer(session, input);
    if (!result.ok) throw new Error(`deploying ${label}: ${result.error}`);
    ids.push(input.releaseId);
  }
  return ids;
}
