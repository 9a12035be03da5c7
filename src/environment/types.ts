// What provisioning and the preset-condition checks report, per item and per server.

export type ProvisionStatus = 'created' | 'changed' | 'unchanged' | 'failed';

export interface ProvisionItemResult {
  kind: 'directory' | 'file' | 'command';
  /** The path (directories, files) or the command's name. */
  target: string;
  status: ProvisionStatus;
  detail?: string;
}

export interface CheckResult {
  name: string;
  expected: string;
  actual: string;
  passed: boolean;
  /** A fact shown for information (os, arch); never fails. */
  info?: boolean;
}

export interface ServerEnvironmentResult {
  /** The server's name from the configuration. */
  server: string;
  host: string;
  reachable: boolean;
  provision: ProvisionItemResult[];
  checks: CheckResult[];
  /** Reachable, no provisioning item failed, every check passed. */
  passed: boolean;
  /** Why the server could not be reached or used (names the server, says what to do). */
  error?: string;
  ms: number;
}
