// The environment lock (invariant 5) against an in-memory port with GitHub's ref semantics
// (creating an existing ref fails): who holds it, when it is stale, release only when ours.
import { describe, expect, it, vi } from 'vitest';
import {
  acquireEnvironmentLock,
  lockRefName,
  releaseEnvironmentLock,
  type LockPort,
} from '../../../src/state/environment-lock.js';
import type { Deployment, DeploymentStatusRecord } from '../../../src/github/port.js';
import { promptDeployment, promptPayload, signedHistory, trust } from './records.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const MINE = 'a'.repeat(40);
const THEIRS = 'b'.repeat(40);

function lockPort(
  o: {
    refs?: Record<string, string>;
    deployments?: Deployment[];
    statuses?: Record<number, DeploymentStatusRecord[]>;
  } = {},
) {
  const refs = new Map(Object.entries(o.refs ?? {}));
  const port = {
    refs,
    createRef: vi.fn(async (ref: string, sha: string) => {
      if (refs.has(ref)) return false;
      refs.set(ref, sha);
      return true;
    }),
    getRefSha: vi.fn(async (ref: string) => refs.get(ref) ?? null),
    deleteRef: vi.fn(async (ref: string) => {
      refs.delete(ref);
    }),
    listDeployments: vi.fn(async (_env: string, sha?: string) =>
      (o.deployments ?? []).filter((d) => d.sha === sha),
    ),
    listDeploymentStatuses: vi.fn(async (id: number) => o.statuses?.[id] ?? []),
  } satisfies LockPort & { refs: Map<string, string> };
  return port;
}

const deployment = (id: number, sha: string, pr: number): Deployment =>
  promptDeployment(id, sha, promptPayload(pr));
const T = trust();

const REF = 'heads/deploy-request/lock/staging';

describe('lockRefName', () => {
  it('one ref per environment; runs of dots are collapsed (no `..` in a ref)', () => {
    expect(lockRefName('staging')).toBe(REF);
    expect(lockRefName('a..b...c')).toBe('heads/deploy-request/lock/a.b.c');
  });
});

describe('acquireEnvironmentLock', () => {
  it('a free environment: acquired', async () => {
    const port = lockPort();
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: true,
    });
    expect(port.refs.get(REF)).toBe(MINE);
  });

  it('held by this head: not acquired, held by self', async () => {
    const port = lockPort({ refs: { [REF]: MINE } });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: true,
      holder: 'this pull request',
    });
  });

  it('released between our create and our read: one more try succeeds', async () => {
    const port = lockPort();
    port.createRef.mockResolvedValueOnce(false);
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: true,
    });
    expect(port.createRef).toHaveBeenCalledTimes(2);
  });

  it('released and taken again by someone else meanwhile: busy', async () => {
    const port = lockPort();
    port.createRef.mockResolvedValue(false);
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: false,
      holder: 'another deployment',
    });
  });

  it('a holder without a deployment is named by its commit and never taken over', async () => {
    const port = lockPort({ refs: { [REF]: THEIRS } });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: false,
      holder:
        'commit bbbbbbb (no signed deployment record found; delete the branch deploy-request/lock/staging if no deployment is running)',
    });
    expect(port.deleteRef).not.toHaveBeenCalled();
  });

  it('a holder deploying for less than the stale time keeps it; the newest deployment names it', async () => {
    const port = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [deployment(1, THEIRS, 3), deployment(2, THEIRS, 4)],
      statuses: {
        1: signedHistory(deployment(1, THEIRS, 3)),
        2: signedHistory(deployment(2, THEIRS, 4), [['in_progress', '2026-01-01T11:00:00Z']]),
      },
    });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: false,
      holder: 'pull request #4 (deploying since 2026-01-01T11:00:00Z)',
    });
  });

  it('a holder deploying for longer than the stale time is taken over', async () => {
    const port = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [deployment(2, THEIRS, 4)],
      statuses: {
        2: signedHistory(deployment(2, THEIRS, 4), [['in_progress', '2026-01-01T09:00:00Z']]),
      },
    });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: true,
      tookOverFrom: 'pull request #4 (deploying since 2026-01-01T09:00:00Z)',
    });
    expect(port.refs.get(REF)).toBe(MINE);
  });

  it('a holder whose deployment finished is stale', async () => {
    const port = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [deployment(2, THEIRS, 4)],
      statuses: {
        2: signedHistory(deployment(2, THEIRS, 4), [
          ['in_progress', '2026-01-01T11:00:00Z'],
          ['failure', '2026-01-01T11:05:00Z'],
        ]),
      },
    });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: true,
      tookOverFrom: 'pull request #4 (its deployment is failure)',
    });
  });

  it('invariant 11: a forged "finished" status (unsigned, or signed with another key) never frees the lock', async () => {
    const d = deployment(2, THEIRS, 4);
    const forged = [
      { state: 'success' as const, description: 'done', createdAt: '2026-01-01T11:00:00Z' },
      ...signedHistory(d),
    ];
    const port = lockPort({ refs: { [REF]: THEIRS }, deployments: [d], statuses: { 2: forged } });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toMatchObject({
      acquired: false,
      holder: expect.stringContaining('pull request #4 (starting its deployment'),
    });
    // A copied Deployment (same payload, new id) whose statuses were copied too verifies nothing.
    const copy = deployment(3, THEIRS, 4);
    const copied = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [copy],
      statuses: { 3: signedHistory(d, [['failure', '2026-01-01T11:00:00Z']]) },
    });
    expect(await acquireEnvironmentLock(copied, T, 'staging', MINE, 120, NOW)).toMatchObject({
      acquired: false,
      holder: expect.stringContaining('no signed deployment record'),
    });
    expect(copied.deleteRef).not.toHaveBeenCalled();
  });

  it('a holder whose deployment is about to start (queued) is never taken over', async () => {
    const port = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [deployment(2, THEIRS, 4)],
      statuses: { 2: signedHistory(deployment(2, THEIRS, 4)) },
    });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: false,
      holder:
        'pull request #4 (starting its deployment; if no run of it is active, delete the branch deploy-request/lock/staging)',
    });
    expect(port.deleteRef).not.toHaveBeenCalled();
  });

  it('a stale lock someone else took over first stays theirs', async () => {
    const port = lockPort({
      refs: { [REF]: THEIRS },
      deployments: [deployment(2, THEIRS, 4)],
      statuses: {
        2: signedHistory(deployment(2, THEIRS, 4), [['success', '2026-01-01T11:00:00Z']]),
      },
    });
    port.deleteRef.mockImplementationOnce(async () => {
      port.refs.set(REF, 'c'.repeat(40));
    });
    expect(await acquireEnvironmentLock(port, T, 'staging', MINE, 120, NOW)).toEqual({
      acquired: false,
      heldBySelf: false,
      holder: 'pull request #4 (its deployment is success)',
    });
  });
});

describe('releaseEnvironmentLock', () => {
  it('deletes the lock only while it points at our head', async () => {
    const theirs = lockPort({ refs: { [REF]: THEIRS } });
    await releaseEnvironmentLock(theirs, 'staging', MINE);
    expect(theirs.deleteRef).not.toHaveBeenCalled();
    const mine = lockPort({ refs: { [REF]: MINE } });
    await releaseEnvironmentLock(mine, 'staging', MINE);
    expect(mine.refs.has(REF)).toBe(false);
  });
});
