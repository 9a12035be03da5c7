// The break-glass switch of a pull request (/emergency): the branch
// `deploy-request/emergency/<pr>` pointing at a commit (no parents, the default branch tip's tree)
// whose message carries the switch's facts and a MAC (invariant 11). Anyone with write access
// can push that branch, so only a message that verifies under the trusted run's key switches
// anything; one that does not is logged and ignored, and /emergency replaces it. Creating the
// branch is atomic (GitHub answers 422 when it exists): two /emergency at once record one switch.
import type { GitHubPort } from '../github/port.js';
import type { EmergencySwitch } from '../policy/emergency-policy.js';
import type { TrustedState } from './prompts.js';
import {
  NOT_TRUSTED,
  readBranchRecord,
  readSignedLines,
  signedMessage,
  tipTree,
} from './signed-message.js';
import type { StateSigner } from './state-signer.js';

export type EmergencyPort = Pick<
  GitHubPort,
  'getDefaultBranch' | 'getRefSha' | 'getCommit' | 'createCommit' | 'createRef' | 'deleteRef'
>;

export function emergencyRefName(pr: number): string {
  return `heads/deploy-request/emergency/${pr}`;
}

function switchFacts(s: EmergencySwitch) {
  return {
    k: 'emergency',
    pr: s.pr,
    environment: s.environment,
    reason: s.reason,
    by: s.by,
    at: s.at,
  };
}

export function emergencyMessage(signer: StateSigner, s: EmergencySwitch): string {
  return signedMessage(
    signer,
    `deploy-request emergency: #${s.pr} → ${s.environment}`,
    s.reason,
    switchFacts(s),
  );
}

/** The switch's fields from a facts line, when they have the right types (not yet verified). */
function switchOf(f: Record<string, unknown>): EmergencySwitch | undefined {
  const str = (v: unknown): v is string => typeof v === 'string';
  if (typeof f.pr !== 'number' || !str(f.environment) || !str(f.reason) || !str(f.by) || !str(f.at))
    return undefined;
  return { pr: f.pr, environment: f.environment, reason: f.reason, by: f.by, at: f.at };
}

/** The switch a commit message carries for pull request `pr`, or why it switches nothing. */
export function parseEmergencyMessage(
  signer: StateSigner,
  message: string,
  pr: number,
): { emergency: EmergencySwitch } | { why: string } {
  const read = readSignedLines(message, 'emergency');
  if ('why' in read) return read;
  const emergency = switchOf(read.facts);
  if (!emergency) return { why: 'its commit message carries no emergency facts' };
  if (!signer.verify(switchFacts(emergency), read.mac)) return { why: NOT_TRUSTED };
  // A genuine switch of another pull request, copied onto this one's branch, switches nothing.
  if (emergency.pr !== pr) return { why: `it is the switch of pull request #${emergency.pr}` };
  return { emergency };
}

/**
 * The switch the branch of pull request `pr` claims, unverified: for gate runs, which hold no key.
 * They may only use it to hand over early; the trusted run verifies it before it counts.
 */
export async function claimedEmergency(
  github: Pick<EmergencyPort, 'getRefSha' | 'getCommit'>,
  pr: number,
): Promise<EmergencySwitch | null> {
  const found = await readBranchRecord(github, emergencyRefName(pr), (message) =>
    readSignedLines(message, 'emergency'),
  );
  const read = found.kind === 'found' ? found.read : { why: 'no branch' };
  const claimed = 'why' in read ? undefined : switchOf(read.facts);
  return claimed?.pr === pr ? claimed : null;
}

type Inspected =
  | { kind: 'none' }
  | { kind: 'switched'; emergency: EmergencySwitch }
  | { kind: 'unverified'; why: string; sha: string };

async function inspect(
  github: Pick<EmergencyPort, 'getRefSha' | 'getCommit'>,
  trust: TrustedState,
  pr: number,
): Promise<Inspected> {
  const found = await readBranchRecord(github, emergencyRefName(pr), (message) =>
    parseEmergencyMessage(trust.signer, message, pr),
  );
  if (found.kind === 'none') return found;
  const { sha, read } = found;
  if ('why' in read) {
    trust.warn(
      `Ignored the emergency branch of #${pr} (commit ${sha.slice(0, 7)}): ${read.why}; it switches nothing.`,
    );
    return { kind: 'unverified', why: read.why, sha };
  }
  return { kind: 'switched', emergency: read.emergency };
}

/** The verified switch of pull request `pr`, or null (one that does not verify is logged). */
export async function readEmergency(
  github: Pick<EmergencyPort, 'getRefSha' | 'getCommit'>,
  trust: TrustedState,
  pr: number,
): Promise<EmergencySwitch | null> {
  const state = await inspect(github, trust, pr);
  return state.kind === 'switched' ? state.emergency : null;
}

export type RecordResult =
  { recorded: true; emergency: EmergencySwitch } | { recorded: false; existing: EmergencySwitch };

/** Records the switch unless a verified one stands; a branch that does not verify is replaced. */
export async function recordEmergency(
  github: EmergencyPort,
  trust: TrustedState,
  emergency: EmergencySwitch,
): Promise<RecordResult> {
  const ref = emergencyRefName(emergency.pr);
  const standing = await inspect(github, trust, emergency.pr);
  if (standing.kind === 'switched') return { recorded: false, existing: standing.emergency };
  const sha = await github.createCommit(
    emergencyMessage(trust.signer, emergency),
    await tipTree(github),
  );
  if (standing.kind === 'unverified' && (await github.getRefSha(ref)) === standing.sha)
    await github.deleteRef(ref);
  if (await github.createRef(ref, sha)) return { recorded: true, emergency };
  // Another /emergency recorded its switch meanwhile: report that one.
  const now = await inspect(github, trust, emergency.pr);
  if (now.kind === 'switched') return { recorded: false, existing: now.emergency };
  throw new Error(
    `Could not create the branch deploy-request/emergency/${emergency.pr}; comment the command again.`,
  );
}
