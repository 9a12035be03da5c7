// One server's deployment in two round trips: (1) lock, upload + verify, unpack, links, metadata,
// before_activate; (2) switch, activate, health check, rollback or prune, unlock. The lock is
// released by the scripts' EXIT traps, and from here when a round trip was lost on the way.
import { finishedHeads, inProgressEntry } from '../ledger/ledger-entry.js';
import { formatMs, type ServerLog } from '../ssh/run-on-servers.js';
import { isVariableName } from '../ssh/shell-quote.js';
import type { ExecResult, ServerSession } from '../ssh/types.js';
import { activateScript } from './activate-script.js';
import { activateFailure, lockLine } from './deploy-messages.js';
import { formatBytes } from './hash-stream.js';
import { prepareScript } from './prepare-script.js';
import { isReleaseId } from './release-id.js';
import { releaseRemoteLock } from './remote-lock.js';
import { readArtifact } from './shared-artifact.js';
import {
  marker,
  markersOf,
  parseReport,
  scriptFailure,
  type ScriptReport,
} from './script-report.js';
import type { ServerDeployInput, ServerDeployResult } from './types.js';

export const DEFAULT_LOCK_STALE_MINUTES = 120;

/** The environment for activate on the previous release: its own RELEASE_DIR, not the failed one's. */
export function rollbackEnv(
  env: Record<string, string>,
  failedRelease: string,
): Record<string, string> {
  const rest = { ...env };
  delete rest.RELEASE; // these describe the failed release
  delete rest.DIGEST;
  return { ...rest, ROLLBACK_FROM: failedRelease };
}

/** Normalises shared_links entries; undefined for one that could leave <path>/shared. */
function sharedEntry(entry: string): string | undefined {
  const parts = entry.split('/').filter((part) => part !== '' && part !== '.');
  if (entry.startsWith('/') || parts.length === 0 || parts.includes('..')) return undefined;
  return parts.join('/');
}

function inputProblem(input: ServerDeployInput): string | undefined {
  if (!isReleaseId(input.releaseId))
    return `release id ${JSON.stringify(input.releaseId)} is malformed`;
  if (!/^[0-9a-f]{12,128}$/.test(input.digest)) return 'the digest must be lowercase hex';
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) return 'sha256 must be 64 lowercase hex digits';
  if (!Number.isSafeInteger(input.size) || input.size < 0) return 'size must be a byte count';
  const badName = Object.keys(input.env).find((name) => !isVariableName(name));
  if (badName !== undefined) return `variable name ${JSON.stringify(badName)} is not allowed`;
  const badLink = input.deploy.shared_links.find((entry) => !sharedEntry(entry));
  if (badLink !== undefined) return `shared_links entry ${JSON.stringify(badLink)} leaves shared/`;
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function uploadLine(report: ScriptReport, size: number): string {
  const ms = report.steps.find((step) => step.name === 'upload')?.ms ?? 0;
  const rate = ms > 0 && size >= 1e6 ? `, ${(size / 1e6 / (ms / 1000)).toFixed(0)} MB/s` : '';
  const tool = marker(report, 'verified')?.[0] ?? '?';
  return `upload: ${formatBytes(size)} in ${formatMs(ms)}${rate}; SHA-256 verified on the server (${tool})`;
}

function downloadLine(report: ScriptReport, show: string): string {
  const ms = report.steps.find((step) => step.name === 'download')?.ms ?? 0;
  const [tool = '?', bytes = '0'] = marker(report, 'fetched') ?? [];
  const hash = marker(report, 'verified')?.[0] ?? '?';
  return `download: the server fetched ${formatBytes(Number(bytes))} from ${show} with ${tool} in ${formatMs(ms)}; SHA-256 verified on the server (${hash})`;
}

export async function deployToServer(
  session: ServerSession,
  input: ServerDeployInput,
): Promise<ServerDeployResult> {
  const started = performance.now();
  const log: ServerLog = input.log ?? { info: () => undefined };
  const { deploy, releaseId, digest } = input;
  const staleMinutes = input.lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES;
  const result: ServerDeployResult = {
    server: session.server.name,
    ok: false,
    releaseId,
    switched: false,
    rolledBack: false,
    health: 'skipped',
    durationMs: 0,
    steps: [],
  };
  const finish = (error?: string): ServerDeployResult => {
    result.durationMs = Math.round(performance.now() - started);
    result.ok = error === undefined;
    if (error !== undefined) {
      result.error = error;
      log.info(`error: ${error}`);
    }
    const steps = result.steps.map((step) => `${step.name} ${formatMs(step.ms)}`).join(', ');
    if (steps) log.info(`steps: ${steps}`);
    return result;
  };
  const problem = inputProblem(input);
  if (problem) return finish(`input: ${problem}`);

  const common = { deployPath: deploy.path, digest, staleMinutes, releaseId };
  let lockHeld = false;
  const absorb = (report: ScriptReport) => {
    result.steps.push(...report.steps);
    if (marker(report, 'lock')?.[0] !== 'lost' && marker(report, 'lock')) lockHeld = true;
    if (marker(report, 'unlocked') || marker(report, 'lock')?.[0] === 'lost') lockHeld = false;
    const previous = marker(report, 'previous')?.[0];
    if (previous !== undefined) result.previousRelease = previous || undefined;
  };
  try {
    // Round trip 1: the artifact streams through stdin while the server hashes it.
    const facts = { ...input.metadata, release_id: releaseId, server: session.server.name };
    const prepare = prepareScript({
      ...common,
      sha256: input.sha256,
      size: input.size,
      sharedLinks: deploy.shared_links.map((entry) => sharedEntry(entry)!),
      metadataJson: inProgressEntry(facts),
      beforeActivate: deploy.before_activate,
      env: input.env,
      pull: input.pull,
    });
    const t1 = performance.now();
    // Pull mode: the server fetches the artifact itself, the runner sends none of its bytes.
    const artifact = input.pull
      ? undefined
      : (input.artifactStream ?? readArtifact(input.artifactFile));
    let r1: ExecResult;
    try {
      lockHeld = true; // until the script says otherwise: a lost connection leaves it unknown
      r1 = await session.exec(prepare, artifact ? { stdin: artifact } : {});
    } catch (error) {
      return finish(
        `${artifact ? 'upload' : 'download'}: ${errorText(error)} (nothing was switched)`,
      );
    } finally {
      artifact?.destroy(); // a script that stopped early leaves the stream paused (or a shared read waiting)
    }
    lockHeld = false;
    const rep1 = parseReport(r1, performance.now() - t1);
    absorb(rep1);
    if (artifact?.errored) {
      const reason = errorText(artifact.errored);
      return finish(
        `upload: cannot read the artifact on the runner (${reason}); nothing was switched`,
      );
    }
    const lock = lockLine(rep1);
    if (lock) log.info(lock);
    if (r1.code !== 0 || !marker(rep1, 'prepared')) {
      return finish(scriptFailure(rep1, r1, 'prepare'));
    }
    log.info(input.pull ? downloadLine(rep1, input.pull.show) : uploadLine(rep1, input.size));
    log.info(`unpacked: releases/${releaseId}`);

    // Round trip 2: switch, activate, health, rollback or prune, unlock.
    const activate = activateScript({
      ...common,
      activate: deploy.activate,
      healthCheck: deploy.health_check,
      rollbackOnFailure: deploy.rollback_on_failure,
      keepReleases: deploy.keep_releases,
      env: input.env,
      rollbackEnv: rollbackEnv(input.env, releaseId),
      entry: finishedHeads(facts),
    });
    const t2 = performance.now();
    let r2: ExecResult;
    try {
      r2 = await session.exec(activate);
    } catch (error) {
      result.switched = true; // cannot be ruled out: a rollback must look at this server
      return finish(
        `activate: ${errorText(error)}; current may already point to releases/${releaseId}`,
      );
    }
    const rep2 = parseReport(r2, performance.now() - t2);
    absorb(rep2);
    // A script cut off (no exit status, or timed out) may have switched before saying so.
    const cutOff = r2.code === null || r2.timedOut;
    result.switched = marker(rep2, 'switched') !== undefined || cutOff;
    result.rolledBack = marker(rep2, 'rolledback') !== undefined;
    const health = marker(rep2, 'health')?.[0];
    result.health = health === 'passed' || health === 'failed' ? health : 'skipped';
    if (result.switched) {
      log.info(
        `switched: current -> releases/${releaseId} (previous: ${result.previousRelease ?? 'none'})`,
      );
    }
    if (health) log.info(`health: ${health} after ${marker(rep2, 'health')?.[1]} attempt(s)`);
    if (r2.code !== 0 || !marker(rep2, 'done')) {
      if (result.rolledBack) log.info(`rolled back: current -> releases/${result.previousRelease}`);
      const unknown = cutOff && !marker(rep2, 'switched');
      const suffix = unknown ? `; current may already point to releases/${releaseId}` : '';
      return finish(activateFailure(rep2, r2, deploy, releaseId) + suffix);
    }
    const pruned = markersOf(rep2, 'pruned').map((args) => args[0]);
    if (pruned.length) log.info(`pruned: ${pruned.join(', ')}`);
    return finish();
  } finally {
    if (lockHeld) {
      try {
        const release = await releaseRemoteLock(session, deploy.path, digest);
        log.info(
          release.released
            ? 'lock: released after the lost round trip'
            : `lock: not ours any more (held by ${release.heldBy})`,
        );
      } catch (error) {
        log.info(
          `lock: could not be released (${errorText(error)}); it goes stale after ${staleMinutes} min`,
        );
      }
    }
  }
}
