// The trusted configuration (.github/deploy-request.yml), read only from the PR's base SHA.
// Mirrors schemas/deploy-request-config.schema.json after defaults are applied
// (test/unit/config/schema-types.test.ts keeps the two in step).

export interface ServerConfig {
  name: string;
  host: string;
  port: number; // default 22
  user: string;
  /** Pinned OpenSSH public host key line, e.g. "ssh-ed25519 AAAA...". */
  host_key: string;
  /** Name of another server of the same environment to jump through (bastion). */
  via?: string;
}

export interface ApprovalStage {
  name: string;
  /** GitHub logins and "org/team" slugs. */
  reviewers: string[];
  required: number;
}

export interface ApprovalConfig {
  stages: ApprovalStage[];
  /** Stages are met in order (default true): later approvals wait until earlier stages are met. */
  ordered: boolean;
}

export interface ProvisionDirectory {
  path: string;
  mode?: string;
  owner?: string;
}
export interface ProvisionFile {
  path: string;
  content: string;
  mode?: string;
}
export interface ProvisionCommand {
  name: string;
  run: string;
  unless?: string;
}
export interface ProvisionConfig {
  directories: ProvisionDirectory[];
  files: ProvisionFile[];
  commands: ProvisionCommand[];
}

export interface CheckCommand {
  name: string;
  run: string;
  /** Regular expression the command's trimmed stdout must match. */
  expect?: string;
}
export interface ChecksConfig {
  disk_free?: { path: string; min_mb: number };
  memory_available_mb?: number;
  binaries: string[];
  ports_free: number[];
  commands: CheckCommand[];
}

export interface HealthCheck {
  run: string;
  retries: number; // default 10
  interval_s: number; // default 3
  /** One attempt's limit in seconds (default 30). */
  timeout_s: number;
}

export interface DeployConfig {
  /** Absolute, or relative to the login user's home. */
  path: string;
  keep_releases: number; // default 5
  parallel: number; // default 10
  batch_size: number; // default 1
  max_failed_servers: number; // default 0
  request_variables: string[];
  /** Entries of <path>/shared linked into each release (e.g. "app.env"). */
  shared_links: string[];
  before_activate: string[];
  activate?: string;
  health_check?: HealthCheck;
  rollback_on_failure: boolean; // default true
  /** push: the runner sends the artifact over SSH; pull: each server downloads it (default push). */
  transfer: 'push' | 'pull';
  environment_url?: string;
}

export interface ConfirmConfig {
  within_hours: number; // default 24
  /** Who may /confirm besides the PR author (GitHub logins). */
  requesters: string[];
}

export interface LockConfig {
  /** A lock older than this may be taken over (and says so). */
  stale_after_minutes: number; // default 120
}

export interface RollbackConfig {
  /** Who may /rollback and confirm a rollback (logins, org/team slugs); default: every stage's reviewers. */
  allowed?: string[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface WeeklyWindow {
  days: Weekday[];
  /** "HH:MM", local time in `WindowsConfig.timezone`. */
  from: string;
  /** "HH:MM" (or "24:00"), after `from`; not included. */
  to: string;
}

export interface Freeze {
  /** "YYYY-MM-DD", the first day (from 00:00 local time). */
  from: string;
  /** "YYYY-MM-DD", the last day (included). */
  to: string;
  reason: string;
}

export interface WindowsConfig {
  /** IANA time zone. */
  timezone: string;
  /** Empty: always open outside freezes. */
  allow: WeeklyWindow[];
  freezes: Freeze[];
}

export interface RequireChecksConfig {
  /** Check-run names or commit-status contexts that must be `success`. */
  checks: string[];
  /** artifact: a release asset's tag commit (`path`: the PR head, which the trusted workflow builds); head: the PR head (default). */
  on: 'artifact' | 'head';
}

export interface EmergencyConfig {
  /** Logins and org/team slugs; the requester never counts. */
  approvers: string[];
  required: number; // default 1
  may_skip: ('windows' | 'stages')[]; // default []
  review: { reviewers: string[]; within_hours: number /* default 24 */ };
}

export interface EnvironmentConfig {
  servers: ServerConfig[];
  approval: ApprovalConfig;
  provision: ProvisionConfig;
  checks: ChecksConfig;
  deploy: DeployConfig;
  confirm: ConfirmConfig;
  lock: LockConfig;
  /** Who may /lock and /unlock (logins, org/team slugs); default nobody. */
  operators: string[];
  rollback: RollbackConfig;
  windows?: WindowsConfig;
  require_checks?: RequireChecksConfig;
  emergency?: EmergencyConfig;
}

export interface DeployRequestConfig {
  version: 1;
  requests: { paths: string[] };
  /** The PR author's own approval counts (default false). */
  allow_self_approval: boolean;
  environments: Record<string, EnvironmentConfig>;
}

export const DEFAULT_CONFIG_PATH = '.github/deploy-request.yml';
export const DEFAULT_REQUEST_PATHS = ['deploy-requests/**/*.yml', 'deploy-requests/**/*.yaml'];
