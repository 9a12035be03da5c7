// Pull mode (deploy.transfer: pull): each server downloads the artifact itself, with curl or wget,
// from artifact.url or a release asset's short-lived signed link (src/remote/fetch.sh and
// deploy-pull.sh; the environment check's probe: pull-probe.sh), so the
// runner sends no artifact bytes and its cost stays flat as the fleet grows. The URL enters the
// scripts only as a single-quoted assignment (invariant 7); the bytes are verified against the
// request's sha256 on the server before anything unpacks (invariant 12).
import type { ShellValues } from '../remote/assemble.js';
import deployPull from '../remote/deploy-pull.sh';
import fetchLib from '../remote/fetch.sh';
import pullProbe from '../remote/pull-probe.sh';

/** The prepare script's download part (it calls _dr_pull_artifact when _dr_url is set). */
export const PULL_DOWNLOAD = fetchLib + deployPull;
/** The environment script's probe, called after its checks. */
export const PULL_PROBE = `${fetchLib}${pullProbe}_dr_pull_probe\n`;

export interface PullSource {
  /** What the server fetches: https only (the request schema), possibly a signed link. */
  url: string;
  /** The URL as messages show it: no query, no credentials (displayUrl). */
  show: string;
}

/** Seconds the environment check's reachability probe may take. */
export const PROBE_TIMEOUT_S = 15;

/** The values the pull scripts read; an empty _dr_url means push (the prepare script reads stdin). */
export function pullValues(source: PullSource | undefined): ShellValues {
  return { _dr_url: source?.url ?? '', _dr_show: source?.show ?? '', _dr_probe_s: PROBE_TIMEOUT_S };
}
