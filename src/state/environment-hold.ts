// Holds (/lock, /unlock): an operator's sticky "do not deploy" on an environment. A hold is the
// branch `deploy-request/hold/<environment>` pointing at a commit (no parents, the default branch
// tip's tree) whose message carries the hold's facts and a MAC (invariant 11): anyone with write
// access can create that branch and commit, so only a message that verifies under the trusted
// run's key holds anything. A hold that does not verify, or has expired, holds nothing (logged)
// and /lock replaces it. Creating the branch is atomic (GitHub answers 422 when it exists), so
// two /locks at once place one hold.
import type { GitHubPort } from '../github/port.js';
import type { TrustedState } from './prompts.js';
import {
  NOT_TRUSTED,
  readBranchRecord,
  readSignedLines,
  signedMessage,
  tipTree,
} from './signed-message.js';
import type { StateSigner } from './state-signer.js';

export interface Hold {
  environment: string;
  /** The operator's login. */
  holder: string;
  reason: string;
  /** ISO 8601: when it was placed. */
  since: string;
  /** ISO 8601: when it stops holding; absent: until /unlock. */
  expiresAt?: string;
}

export type HoldPort = Pick<
  GitHubPort,
  'getDefaultBranch' | 'getRefSha' | 'getCommit' | 'createCommit' | 'createRef' | 'deleteRef'
>;

/** What the hold ref points at now; `sha` is the commit (to delete only what was read). */
export type HoldState =
  | { kind: 'none' }
  | { kind: 'held'; hold: Hold; sha: string }
  | { kind: 'expired'; hold: Hold; sha: string }
  | { kind: 'unverified'; why: string; sha: string };

export function holdRefName(environment: string): string {
  return `heads/deploy-request/hold/${environment.replace(/\.{2,}/g, '.')}`;
}

function holdFacts(h: Hold) {
  return {
    k: 'hold',
    environment: h.environment,
    holder: h.holder,
    reason: h.reason,
    since: h.since,
    expiresAt: h.expiresAt ?? null,
  };
}

/** The commit message of a hold: a readable title and reason, then the signed facts. */
export function holdMessage(signer: StateSigner, hold: Hold): string {
  return signedMessage(
    signer,
    `deploy-request hold: ${hold.environment}`,
    hold.reason,
    holdFacts(hold),
  );
}

/**
 * The hold a commit message carries for `environment`, or why it holds nothing. Only the signed
 * JSON line counts; the readable reason above it is for people browsing the branch.
 */
export function parseHoldMessage(
  signer: StateSigner,
  message: string,
  environment: string,
): { hold: Hold } | { why: string } {
  const read = readSignedLines(message, 'hold');
  if ('why' in read) return read;
  const { facts: f, mac } = read;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!str(f.holder) || !str(f.reason) || !str(f.since))
    return { why: 'its commit message carries no hold facts' };
  if (!str(f.environment) || !(f.expiresAt === null || str(f.expiresAt)))
    return { why: 'its commit message carries no hold facts' };
  const hold: Hold = {
    environment: f.environment,
    holder: f.holder,
    reason: f.reason,
    since: f.since,
    ...(str(f.expiresAt) ? { expiresAt: f.expiresAt } : {}),
  };
  if (!signer.verify(holdFacts(hold), mac)) return { why: NOT_TRUSTED };
  // A genuine hold of another environment, pointed at by this one's branch, holds nothing here.
  if (hold.environment !== environment) return { why: `it is a hold of ${hold.environment}` };
  return { hold };
}

function expired(hold: Hold, now: Date): boolean {
  return hold.expiresAt !== undefined && Date.parse(hold.expiresAt) <= now.getTime();
}

/** The hold branch of `environment` as it stands, verified. */
export async function inspectHold(
  github: Pick<HoldPort, 'getRefSha' | 'getCommit'>,
  trust: TrustedState,
  environment: string,
  now: Date,
): Promise<HoldState> {
  const found = await readBranchRecord(github, holdRefName(environment), (message) =>
    parseHoldMessage(trust.signer, message, environment),
  );
  if (found.kind === 'none') return found;
  const { sha, read } = found;
  if ('why' in read) return { kind: 'unverified', why: read.why, sha };
  return { kind: expired(read.hold, now) ? 'expired' : 'held', hold: read.hold, sha };
}

/** The hold that stands on `environment` now, or null (an unverified or expired one is logged). */
export async function readHold(
  github: Pick<HoldPort, 'getRefSha' | 'getCommit'>,
  trust: TrustedState,
  environment: string,
  now: Date,
): Promise<Hold | null> {
  const state = await inspectHold(github, trust, environment, now);
  if (state.kind === 'held') return state.hold;
  if (state.kind !== 'none') trust.warn(ignoredLine(environment, state));
  return null;
}

function ignoredLine(environment: string, state: Exclude<HoldState, { kind: 'none' | 'held' }>) {
  const at = state.sha.slice(0, 7);
  return state.kind === 'expired'
    ? `The hold of ${environment} by ${state.hold.holder} expired at ${state.hold.expiresAt}; it holds nothing.`
    : `Ignored the hold branch of ${environment} (commit ${at}): ${state.why}; it holds nothing.`;
}

export interface HoldRequest {
  environment: string;
  holder: string;
  reason: string;
  /** Absent: until /unlock. */
  forMinutes?: number;
}

export type PlaceResult = { placed: true; hold: Hold } | { placed: false; held: Hold };

/** Places a hold unless one stands; an unverified or expired one is replaced (logged). */
export async function placeHold(
  github: HoldPort,
  trust: TrustedState,
  request: HoldRequest,
  now: Date,
): Promise<PlaceResult> {
  const { environment, holder, reason, forMinutes } = request;
  const ref = holdRefName(environment);
  const hold: Hold = {
    environment,
    holder,
    reason,
    since: now.toISOString(),
    ...(forMinutes === undefined
      ? {}
      : { expiresAt: new Date(now.getTime() + forMinutes * 60_000).toISOString() }),
  };
  // A standing hold is reported before anything is written, not even an unreachable commit.
  const standing = await inspectHold(github, trust, environment, now);
  if (standing.kind === 'held') return { placed: false, held: standing.hold };
  const sha = await github.createCommit(holdMessage(trust.signer, hold), await tipTree(github));
  // Two rounds: a create that loses to a stale branch removes it and tries once more; losing
  // again means another /lock placed its hold meanwhile, which is then reported.
  for (let round = 0; round < 2; round++) {
    if (await github.createRef(ref, sha)) return { placed: true, hold };
    const state = await inspectHold(github, trust, environment, now);
    if (state.kind === 'held') return { placed: false, held: state.hold };
    if (state.kind === 'none') continue;
    trust.warn(ignoredLine(environment, state));
    await deleteIfStill(github, ref, state.sha);
  }
  const state = await inspectHold(github, trust, environment, now);
  if (state.kind === 'held') return { placed: false, held: state.hold };
  throw new Error(`Could not create the branch deploy-request/hold/${environment}; try again.`);
}

export type LiftResult = { lifted: Hold; expired: boolean } | { none: true };

/** Lifts the hold (an expired one too: it is tidied away); a branch that does not verify is removed. */
export async function liftHold(
  github: Pick<HoldPort, 'getRefSha' | 'getCommit' | 'deleteRef'>,
  trust: TrustedState,
  environment: string,
  now: Date,
): Promise<LiftResult> {
  const ref = holdRefName(environment);
  const state = await inspectHold(github, trust, environment, now);
  if (state.kind === 'none') return { none: true };
  await deleteIfStill(github, ref, state.sha);
  if (state.kind === 'unverified') {
    trust.warn(ignoredLine(environment, state));
    return { none: true };
  }
  return { lifted: state.hold, expired: state.kind === 'expired' };
}

/** Compare, then delete: a hold placed since we read the branch is not removed with the old one. */
async function deleteIfStill(
  github: Pick<HoldPort, 'getRefSha' | 'deleteRef'>,
  ref: string,
  sha: string,
): Promise<void> {
  if ((await github.getRefSha(ref)) === sha) await github.deleteRef(ref);
}
