// Releasing a server's deployment lock from outside a deployment: after a lost round trip, or
// when a request is cancelled. Only a lock owned by the given digest is removed.
import type { ServerSession } from '../ssh/types.js';
import releaseLock from '../remote/deploy-release-lock.sh';
import { deployScript } from './remote-shell.js';
import { marker, parseReport } from './script-report.js';

export interface LockRelease {
  /** The lock was ours and is gone now. */
  released: boolean;
  /** Digest of whoever holds it otherwise ('none' when there is no lock). */
  heldBy?: string;
}

export async function releaseRemoteLock(
  session: ServerSession,
  deployPath: string,
  digest: string,
  timeoutMs = 20_000,
): Promise<LockRelease> {
  const script = deployScript({ deployPath, digest, staleMinutes: 1 }, {}, releaseLock);
  const result = await session.exec(script, { timeoutMs });
  const report = parseReport(result, 0);
  if (marker(report, 'unlocked')) return { released: true };
  const lost = report.markers.find((m) => m.key === 'lock' && m.args[0] === 'lost');
  if (lost) return { released: false, heldBy: lost.args[1] };
  // The deploy path does not exist: there is no lock to release.
  if (result.code === 0) return { released: false, heldBy: 'none' };
  throw new Error(`releasing the lock failed: ${result.stderr.trim().slice(0, 500)}`);
}
