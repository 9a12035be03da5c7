// Linux users for the sshd harness: one dr-test-<n> per server, claimed with a lock file so
// test files running in parallel never share a user or a home.
import { execFile } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { alive, killTreeSync } from './sshd-processes.js';

const run = promisify(execFile);
const LOCK_DIR = path.join(os.tmpdir(), 'dr-test-sshd-locks');
const heldLocks = new Set<string>();
// An interrupted worker must not keep its slots.
process.once('exit', () => {
  for (const lock of heldLocks) {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
});

function lockFile(slot: number): string {
  return path.join(LOCK_DIR, `dr-test-${slot}.lock`);
}

export async function releaseSlots(slots: number[]): Promise<void> {
  for (const slot of slots) {
    heldLocks.delete(lockFile(slot));
    await unlink(lockFile(slot)).catch(() => undefined);
  }
}

/** Claims the lowest free user slots, so parallel test files never share a user or home. */
export async function claimSlots(count: number): Promise<number[]> {
  await mkdir(LOCK_DIR, { recursive: true });
  const slots: number[] = [];
  for (let n = 1; slots.length < count; n++) {
    const lock = lockFile(n);
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldLocks.add(lock);
      slots.push(n);
    } catch {
      const owner = Number(await readFile(lock, 'utf8').catch(() => '0'));
      if (owner > 0 && !alive(owner)) {
        await unlink(lock).catch(() => undefined);
        n--; // stale lock of a dead run: try this slot again
      }
    }
  }
  return slots;
}

async function retryLocked<T>(action: () => Promise<T>): Promise<T> {
  // useradd/usermod fail with "cannot lock /etc/passwd" while another worker holds the lock.
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= 100 || !/lock/i.test(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Creates (or reuses) dr-test-<n>, unlocked for key login, with the given login shell, and
 * returns its home and uid.
 */
export async function ensureUser(
  user: string,
  fresh: boolean,
  shell = '/bin/sh',
): Promise<{ home: string; uid: number }> {
  const entry = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`${user}:`));
  if (!entry()) {
    await retryLocked(() => run('useradd', ['-m', '-s', '/bin/sh', user])).catch((error) => {
      if (!entry()) throw error; // someone else created it meanwhile: fine
    });
  }
  const shadow = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${user}:`));
  if (!shadow || shadow.split(':')[1]?.startsWith('!')) {
    await retryLocked(() => run('usermod', ['-p', '*', user])); // a locked account can't log in
  }
  if (entry()?.split(':')[6] !== shell) {
    await retryLocked(() => run('usermod', ['-s', shell, user])); // users are reused across files
  }
  const fields = entry()?.split(':') ?? [];
  const home = fields[5];
  const uid = Number(fields[2]);
  if (!home || !home.startsWith('/') || !(uid > 0))
    throw new Error(`no home directory for ${user}`);
  killTreeSync(-1, uid); // leftovers of an interrupted earlier run
  await mkdir(home, { recursive: true });
  if (fresh) {
    for (const name of await readdir(home)) {
      await rm(path.join(home, name), { recursive: true, force: true });
    }
  }
  await run('chown', [`${user}:`, home]);
  return { home, uid };
}
