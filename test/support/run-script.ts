// Runs one of the repository's scripts (`npm run demo`, `npm run bench`) as a child process from
// the repository root and collects its output; killed after `timeoutMs` so a hang fails the test.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './repo-root.js';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(
  command: string,
  args: string[],
  o: {
    env: Record<string, string | undefined>;
    timeoutMs: number;
    /** Called with all stdout so far and the child's pid, on every chunk. */
    onStdout?: (all: string, pid: number) => void;
  },
): Promise<ScriptRun> {
  const child = spawn(command, args, { cwd: REPO_ROOT, env: o.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    o.onStdout?.(stdout, child.pid as number);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const watchdog = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(watchdog);
      resolve({ code, stdout, stderr });
    });
  });
}
