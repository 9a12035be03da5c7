// The demo's own temp directory and child processes, so that an interrupted run leaves nothing.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Points TMPDIR at one fresh directory for the rest of the run, so every temp file of the demo
 * (the workspace, sshd's keys, each action run's event and output files) lands in it; returns the
 * undo. Call it after the test support modules are loaded: their lock directory, shared with
 * parallel test runs, must stay where it is.
 */
export function privateTmpdir(): { dir: string; remove: () => void } {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'dr-demo-'));
  chmodSync(dir, 0o755); // the servers' users read their authorized_keys below it
  process.env.TMPDIR = dir;
  return {
    dir,
    remove: () => {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills this process's children whose command line contains `needle` (an action run in flight). */
export function killChildren(needle: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) continue;
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  }
}
