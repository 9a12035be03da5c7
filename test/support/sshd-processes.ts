// Process helpers for the sshd harness: find and kill what a test server left running.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/**
 * The listener, every descendant (sshd forks per connection, and those call setsid) and every
 * process of the server's user (commands orphaned when their session ended): a machine going away.
 */
export function killTreeSync(rootPid: number, uid = -1): void {
  const children = new Map<number, number[]>();
  const todo = rootPid > 1 ? [rootPid] : [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      if (uid > 0 && statSync(`/proc/${entry}`).uid === uid) todo.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    todo.push(...(children.get(pid) ?? []));
    if (pid <= 1 || pid === process.pid) continue; // never a broadcast, never ourselves
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  }
}

/** The child's pid while it runs; -1 once it exited (its pid may belong to someone else). */
export function livePid(child: ChildProcess): number {
  return child.pid && child.exitCode === null && child.signalCode === null ? child.pid : -1;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
