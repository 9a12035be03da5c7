// One deployment per environment at a time (invariant 5): a ref in the repository is the lock.
// Creating a ref is atomic on GitHub (a second create answers 422), the ref is visible, and it
// points at the holder's head commit, whose Deployment says which PR holds it and since when.
// Who holds it is read only from a signed prompt record (src/state/): a Deployment or status that
// anyone else wrote at the holder's commit can never make the lock look stale (invariant 11).
import type { GitHubPort } from '../github/port.js';
import { listPrompts, type TrustedState } from './prompts.js';

export type LockPort = Pick<
  GitHubPort,
  'createRef' | 'getRefSha' | 'deleteRef' | 'listDeployments' | 'listDeploymentStatuses'
>;

export type LockResult =
  | { acquired: true; tookOverFrom?: string }
  | { acquired: false; heldBySelf: boolean; holder: string };

export function lockRefName(environment: string): string {
  return `heads/deploy-request/lock/${environment.replace(/\.{2,}/g, '.')}`;
}

interface Holder {
  text: string;
  /** Whether the lock may be taken: its deployment finished, or has run longer than allowed. */
  stale: boolean;
}

/** Who holds the lock, from the verified prompt at the holder's commit (our lock always has one). */
async function describeHolder(
  github: LockPort,
  trust: TrustedState,
  environment: string,
  sha: string,
  staleAfterMinutes: number,
  now: Date,
): Promise<Holder> {
  const [newest] = await listPrompts(github, trust, environment, sha, { newestOnly: true });
  if (!newest) {
    return {
      text: `commit ${sha.slice(0, 7)} (no signed deployment record found; delete the branch deploy-request/lock/${environment} if no deployment is running)`,
      stale: false,
    };
  }
  const text = `pull request #${newest.pr}`;
  // Still queued: the holder took the lock a moment ago and is about to mark its deployment
  // in_progress. Taking over now would let two requests deploy at once (invariant 5).
  if (newest.state === 'queued') {
    return {
      text: `${text} (starting its deployment; if no run of it is active, delete the branch deploy-request/lock/${environment})`,
      stale: false,
    };
  }
  if (newest.state === 'finished')
    return { text: `${text} (its deployment is ${newest.githubState})`, stale: true };
  const minutes = (now.getTime() - Date.parse(newest.since)) / 60_000;
  return {
    text: `${text} (deploying since ${newest.since})`,
    stale: minutes >= staleAfterMinutes,
  };
}

export async function acquireEnvironmentLock(
  github: LockPort,
  trust: TrustedState,
  environment: string,
  headSha: string,
  staleAfterMinutes: number,
  now: Date,
): Promise<LockResult> {
  const ref = lockRefName(environment);
  if (await github.createRef(ref, headSha)) return { acquired: true };
  const holderSha = await github.getRefSha(ref);
  if (holderSha === null) {
    // Released between our create and read: one more try, then report it as busy.
    return (await github.createRef(ref, headSha))
      ? { acquired: true }
      : { acquired: false, heldBySelf: false, holder: 'another deployment' };
  }
  if (holderSha === headSha)
    return { acquired: false, heldBySelf: true, holder: 'this pull request' };
  const holder = await describeHolder(
    github,
    trust,
    environment,
    holderSha,
    staleAfterMinutes,
    now,
  );
  if (holder.stale) {
    await github.deleteRef(ref);
    if (await github.createRef(ref, headSha)) return { acquired: true, tookOverFrom: holder.text };
  }
  return { acquired: false, heldBySelf: false, holder: holder.text };
}

/** Who holds the lock now, for people to read (/status), or null when it is free. */
export async function currentLockHolder(
  github: LockPort,
  trust: TrustedState,
  environment: string,
  staleAfterMinutes: number,
  now: Date,
): Promise<string | null> {
  const sha = await github.getRefSha(lockRefName(environment));
  if (sha === null) return null;
  const holder = await describeHolder(github, trust, environment, sha, staleAfterMinutes, now);
  return holder.stale ? `${holder.text}, stale: the next deployment takes it over` : holder.text;
}

/** Releases the lock only while it is still ours (compare, then delete). */
export async function releaseEnvironmentLock(
  github: LockPort,
  environment: string,
  headSha: string,
): Promise<void> {
  const ref = lockRefName(environment);
  if ((await github.getRefSha(ref)) === headSha) await github.deleteRef(ref);
}
