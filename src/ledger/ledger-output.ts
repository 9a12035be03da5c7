// Turns what src/remote/ledger-read.sh printed on one server into its ServerLedger.
import { markersOf, marker, parseReport, scriptFailure } from '../deploy/script-report.js';
import type { ExecResult } from '../ssh/types.js';
import { entryMeta, parseEntryObject } from './ledger-entry.js';
import type { LedgerRelease, ServerLedger } from './types.js';

/** One "@@release <id> <complete> <json…>" line's fields (the JSON may contain spaces). */
export function ledgerRelease(args: string[]): LedgerRelease {
  const [id = '', complete, ...json] = args;
  const raw = parseEntryObject(json.join(' '));
  const meta = raw ? entryMeta(raw) : undefined;
  const release: LedgerRelease = {
    id,
    // A file that is there but is no JSON object is not a complete entry either.
    complete: complete === '1' && raw !== undefined,
    bad: meta?.bad === true,
  };
  if (raw) release.raw = raw;
  if (meta) release.meta = meta;
  if (release.bad && meta?.bad_reason) release.badReason = meta.bad_reason;
  return release;
}

/** Epoch seconds as ISO 8601; '' when the lock file held no time. */
function isoSeconds(epoch: string | undefined): string {
  const seconds = Number(epoch);
  return Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : '';
}

export function parseLedgerOutput(server: string, result: ExecResult): ServerLedger {
  const report = parseReport(result, 0);
  if (result.code !== 0 || !marker(report, 'done')) {
    const why = scriptFailure(report, result, 'ledger', 'reading the release ledger');
    return { server, ok: false, error: why };
  }
  const current = marker(report, 'current')?.[0] || null;
  const releases = markersOf(report, 'release')
    .map(ledgerRelease)
    .filter((release) => release.id !== '')
    // Newest first: release ids begin with their UTC time (src/deploy/release-id.ts).
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const ledger: ServerLedger = { server, ok: true, current, releases };
  const lock = marker(report, 'locked');
  if (lock) ledger.remoteLock = { digest: lock[0] ?? 'unknown', since: isoSeconds(lock[1]) };
  return ledger;
}
