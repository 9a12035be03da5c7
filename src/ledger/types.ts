// The release ledger: what each server keeps about its releases (releases/<id>/.deploy-request.json,
// one JSON object per release, snake_case) and what one read of a server's ledger returns.

export type LedgerResult = 'in-progress' | 'deployed' | 'failed';

/**
 * A release's .deploy-request.json as parsed: every field optional, because releases written by
 * older versions carry fewer fields, and a field of the wrong type is dropped rather than trusted.
 */
export interface ReleaseLedgerMeta {
  application?: string;
  /** The application's version label from the request. */
  release?: string;
  environment?: string;
  request_file?: string;
  /** The confirmed plan digest. */
  digest?: string;
  head_sha?: string;
  pull_request?: number;
  requester?: string;
  approvers?: string[];
  artifact_sha256?: string;
  /** ISO 8601, the runner's clock when the deployment started. */
  started_at?: string;
  /** ISO 8601, the server's clock when activate ended; null while in progress. */
  finished_at?: string | null;
  result?: LedgerResult;
  bad?: boolean;
  bad_reason?: string | null;
  /** A break-glass deployment: why, and who switched the request. */
  emergency?: { reason: string; by: string };
  /** Kept for older readers (= started_at). */
  deployed_at?: string;
  release_id?: string;
  server?: string;
}

export interface LedgerRelease {
  /** The directory name: releases/<id>. */
  id: string;
  /** Moved into place (not a .partial stage) and has a readable .deploy-request.json. */
  complete: boolean;
  /** Parsed, tolerant; undefined when the file is missing or is not a JSON object. */
  meta?: ReleaseLedgerMeta;
  /** The file's object as it was read (unknown fields too): kept whole when it is marked bad. */
  raw?: Record<string, unknown>;
  bad: boolean;
  badReason?: string;
}

export type ServerLedger =
  | {
      server: string;
      ok: true;
      /** The release `current` points to; null when there is none. */
      current: string | null;
      /** Newest first (release ids sort by time). */
      releases: LedgerRelease[];
      /** A deployment's (or rollback's) lock file on the server, when one is there. */
      remoteLock?: { digest: string; since: string };
    }
  | { server: string; ok: false; error: string };
