// Child processes for the bench: each in its own process group (so a timeout or Ctrl-C ends it
// and everything it forked, by its id), always bounded by a timeout, output kept to a tail.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  timedOut: boolean;
}

export interface ProcOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** Resolve with the result instead of rejecting on a non-zero exit. */
  allowFail?: boolean;
  /** Bytes of stdout/stderr kept (the tail); default 1 MiB. */
  keep?: number;
}

const live = new Set<ChildProcess>();

/** Kills every process group the bench started and that still runs (by its own id). */
export function killAll(): void {
  for (const child of live) {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
  }
  live.clear();
}

class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly keep: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.keep && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export class ProcError extends Error {
  constructor(
    message: string,
    readonly result: ProcResult,
  ) {
    super(message);
  }
}

export function describeFailure(command: string, r: ProcResult): string {
  const why = r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-12).join('\n');
  return `${command}: ${why}${tail ? `\n${tail}` : ''}`;
}

export function run(command: string, args: string[], o: ProcOptions): Promise<ProcResult> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    detached: true, // own process group: killed as a whole by its id
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  const out = new Tail(o.keep ?? 1 << 20);
  const err = new Tail(o.keep ?? 1 << 20);
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => undefined); // a command that does not read its stdin
  child.stdin.end(o.input ?? '');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const result: ProcResult = {
        code,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        ms: performance.now() - started,
        timedOut,
      };
      if ((code !== 0 || timedOut) && !o.allowFail) {
        reject(
          new ProcError(
            describeFailure([command, ...args].join(' ').slice(0, 200), result),
            result,
          ),
        );
      } else {
        resolve(result);
      }
    });
  });
}

/** Whether an executable is on PATH. */
export async function which(name: string): Promise<string | undefined> {
  const r = await run('sh', ['-c', `command -v ${name}`], { timeoutMs: 5000, allowFail: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}
