// The ledger entry's one format: releases/<id>/.deploy-request.json, one JSON object on one line.
// Written by the runner's renderings (a deployment's entry in three states, a release marked bad
// by a rollback) and read back tolerantly: releases of older versions have fewer fields, or the
// same ones pretty-printed over several lines, and a broken file must not hide the release.
import type { ReleaseMetadata } from '../deploy/types.js';
import type { LedgerRelease, LedgerResult, ReleaseLedgerMeta } from './types.js';

/**
 * The bad_reason of a release a deployment's rollout took back because it failed elsewhere
 * (src/remote/deploy-rollback.sh). A release that failed here itself says "failed its health
 * check" or "activate failed" (deploy-activate.sh); one a rollback left, who rolled it back.
 */
export const ROLLOUT_STOPPED_REASON = 'rolled back: the deployment failed on another server';

/** A deployment's facts plus where they landed. */
export type EntryFacts = ReleaseMetadata & { release_id: string; server: string };

/** Written by prepare (round trip 1): the release is there, its activation is not done yet. */
export function inProgressEntry(facts: EntryFacts): string {
  return JSON.stringify({
    ...facts,
    result: 'in-progress',
    bad: false,
    bad_reason: null,
    finished_at: null,
  });
}

/**
 * The entry's two endings for the activate round trip, each up to finished_at (which comes last):
 * the script appends the server's clock (and, when failed, bad_reason) and writes one. Rendered
 * here so that no JSON is assembled on the server beyond those constant words and a date.
 */
export function finishedHeads(facts: EntryFacts): { deployed: string; failed: string } {
  const head = (value: object) => `${JSON.stringify(value).slice(0, -1)},`;
  return {
    deployed: head({ ...facts, result: 'deployed', bad: false, bad_reason: null }),
    failed: head({ ...facts, result: 'failed', bad: true }),
  };
}

/** The entry of a release a rollback switched away from: as it was read, now bad with a reason. */
export function abandonedEntry(
  release: LedgerRelease | undefined,
  where: { id: string; server: string },
  reason: string,
): string {
  const before = release?.raw ?? { release_id: where.id, server: where.server };
  return JSON.stringify({ ...before, bad: true, bad_reason: reason });
}

const TEXT_FIELDS = [
  'application',
  'release',
  'environment',
  'request_file',
  'digest',
  'head_sha',
  'requester',
  'artifact_sha256',
  'started_at',
  'deployed_at',
  'release_id',
  'server',
] as const;
const RESULTS: readonly LedgerResult[] = ['in-progress', 'deployed', 'failed'];

/** The object a file holds, or undefined (no JSON, or JSON that is not an object). */
export function parseEntryObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The fields of an entry that have the expected type; any other is left out, never guessed. */
export function entryMeta(raw: Record<string, unknown>): ReleaseLedgerMeta {
  const meta: ReleaseLedgerMeta = {};
  for (const key of TEXT_FIELDS) {
    const value = raw[key];
    if (typeof value === 'string') meta[key] = value;
  }
  if (Number.isSafeInteger(raw.pull_request)) meta.pull_request = raw.pull_request as number;
  if (Array.isArray(raw.approvers)) {
    meta.approvers = raw.approvers.filter((login): login is string => typeof login === 'string');
  }
  if (typeof raw.finished_at === 'string' || raw.finished_at === null) {
    meta.finished_at = raw.finished_at;
  }
  if (RESULTS.includes(raw.result as LedgerResult)) meta.result = raw.result as LedgerResult;
  if (typeof raw.bad === 'boolean') meta.bad = raw.bad;
  if (typeof raw.bad_reason === 'string' || raw.bad_reason === null) {
    meta.bad_reason = raw.bad_reason;
  }
  const e = raw.emergency as Record<string, unknown> | null | undefined;
  if (typeof e?.reason === 'string' && typeof e.by === 'string') {
    meta.emergency = { reason: e.reason, by: e.by };
  }
  return meta;
}
