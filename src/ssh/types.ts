// The narrow view of SSH the core works with: one session per server, reused for all its work.
import type { Readable } from 'node:stream';
import type { ServerConfig } from '../config/types.js';

export interface ExecOptions {
  /** Bytes the script reads on its stdin (a stream is piped, then stdin is closed). */
  stdin?: string | Buffer | Readable;
  /** Kill the command (close its channel) after this long; the result then has timedOut: true. */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /**
   * When each line of stdout arrived (performance.now() ms), in order: the runner's clock times
   * a script's steps, so no script forks `date` to stamp them.
   */
  lineAt?: number[];
  /** When the channel closed (performance.now() ms). */
  endAt?: number;
}

export interface ServerSession {
  readonly server: ServerConfig;
  /**
   * Runs a POSIX sh script on the server: the SSH command is always `sh -s` and the script goes
   * on stdin (see remote-command.ts), so the login shell never parses it.
   */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

export interface SshConnector {
  /** Opens (or refuses: pinned host key mismatch, auth, timeout) one connection to the server. */
  connect(server: ServerConfig): Promise<ServerSession>;
}

/** Why a server could not be reached or used; message names the server and says what to do. */
export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly server: string,
    readonly kind: 'host-key' | 'auth' | 'connect' | 'timeout' | 'key-format' | 'exec',
    message: string,
  ) {
    super(message);
  }
}
