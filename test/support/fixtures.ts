// The repository, config, request and artifact fixtures that the e2e tests, `npm run demo` and
// `npm run bench` build on. A plain module: it registers no test hooks and imports nothing from
// vitest, so the demo and the bench can bundle it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import type { DeployConfig } from '../../src/config/types.js';
import type { ReleaseMetadata } from '../../src/deploy/types.js';
import type { GitHubStandIn } from './github-stand-in/index.js';
import type { TestServer } from './sshd.js';
import { EXAMPLE_WORKFLOW } from './workflow.js';

export const CONFIG_PATH = '.github/deploy-request.yml';
export const REQUEST_PATH = 'deploy-requests/web-1.4.2.yml';
export const WORKFLOW_PATH = '.github/workflows/deploy-request.yml';
export const ARTIFACT = 'build/web.tar.gz';
/** Teams of the `acme` organisation: the lead stage may name a team, ops is always one. */
export const TEAMS = { 'team-leads': ['tina'], ops: ['olga', 'oscar', 'otto'] };

/** A resolved `deploy` block with the config's defaults (parallel 10), for the engine's own tests and benches. */
export function deployConfig(extra: Partial<DeployConfig> = {}): DeployConfig {
  return {
    path: 'app',
    keep_releases: 5,
    parallel: 10,
    batch_size: 1,
    max_failed_servers: 0,
    request_variables: [],
    shared_links: [],
    before_activate: [],
    rollback_on_failure: true,
    transfer: 'push',
    ...extra,
  };
}

/** A release's ledger facts (what a deployment writes into .deploy-request.json), with `extra`. */
export function releaseMetadata(extra: Partial<ReleaseMetadata> = {}): ReleaseMetadata {
  return {
    application: 'web',
    release: '1.0.0',
    environment: 'staging',
    request_file: REQUEST_PATH,
    digest: 'd'.repeat(64),
    head_sha: 'a'.repeat(40),
    pull_request: 7,
    requester: 'dev',
    approvers: ['alice', 'bob'],
    artifact_sha256: SHA,
    started_at: '2026-11-25T21:00:00.000Z',
    deployed_at: '2026-11-25T21:00:00.000Z',
    ...extra,
  };
}

/** What `main` holds: the trusted config, a README, and the shipped workflow (hand-overs dispatch it). */
export function repoFiles(config: string): Record<string, string> {
  return { [CONFIG_PATH]: config, 'README.md': '# app\n', [WORKFLOW_PATH]: EXAMPLE_WORKFLOW };
}

export function serverEntry(server: TestServer): Record<string, unknown> {
  return {
    name: server.name,
    host: server.host,
    port: server.port,
    user: server.user,
    host_key: server.hostKey,
  };
}

export interface EnvironmentOverrides {
  /** Who may /lock and /unlock (default: none configured). */
  operators?: string[];
  approval?: Record<string, unknown>;
  checks?: Record<string, unknown>;
  provision?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  confirm?: Record<string, unknown>;
  servers?: Array<Record<string, unknown>>;
  rollback?: Record<string, unknown>;
}

/** A config with one environment `staging` on the given servers; lead (alice) then ops (2 of team ops). */
export function configFor(servers: TestServer[], o: EnvironmentOverrides = {}): string {
  const config = {
    version: 1,
    environments: {
      staging: {
        servers: o.servers ?? servers.map(serverEntry),
        ...(o.operators ? { operators: o.operators } : {}),
        approval: o.approval ?? {
          stages: [
            { name: 'lead', reviewers: ['alice'], required: 1 },
            { name: 'ops', reviewers: ['acme/ops'], required: 2 },
          ],
        },
        provision: o.provision ?? {
          directories: [{ path: 'app/shared', mode: '0750' }],
          files: [{ path: 'app/shared/app.env', content: 'PORT=8080\n', mode: '0600' }],
          commands: [
            {
              name: 'marker',
              run: 'touch app/shared/.provisioned',
              unless: 'test -f app/shared/.provisioned',
            },
          ],
        },
        checks: o.checks ?? {
          disk_free: { path: '.', min_mb: 1 },
          memory_available_mb: 16,
          binaries: ['tar', 'sh'],
          ports_free: [1],
          commands: [{ name: 'kernel', run: 'uname -s', expect: '^Linux$' }],
        },
        deploy: { path: 'app', request_variables: ['FEATURE_CHECKOUT'], ...o.deploy },
        confirm: { within_hours: 24, ...o.confirm },
        ...(o.rollback ? { rollback: o.rollback } : {}),
      },
    },
  };
  return dump(config, { lineWidth: 200 });
}

/** The SHA-256 of "test": a request that is never deployed needs a well-formed digest only. */
export const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export interface RequestFields {
  /** `{ path }` in the workspace, or `{ url }` to download; default the example.com URL. */
  artifact?: { path: string } | { url: string };
  sha256?: string;
  release?: string;
  reason?: string;
  /** Extra YAML lines appended as they are (e.g. `variables: { … }\n`). */
  extra?: string;
}

/** A deployment request file for `staging`. */
export function requestText(o: RequestFields = {}): string {
  const artifact = o.artifact ?? { url: 'https://example.com/web-1.4.2.tar.gz' };
  const source = 'path' in artifact ? `path: ${artifact.path}` : `url: ${artifact.url}`;
  return (
    `version: 1\napplication: web\nenvironment: staging\nrelease: ${o.release ?? '1.4.2'}\n` +
    `artifact:\n  ${source}\n  sha256: ${o.sha256 ?? SHA}\n` +
    `reason: ${o.reason ?? 'Roll out the new checkout flow'}\n${o.extra ?? ''}`
  );
}

const HEALTH = '#!/bin/sh\ntest -f "$RELEASE_DIR/index.html"\n';

/**
 * A fresh workspace with `artifact` (a .tar.gz of index.html and an executable bin/health) in it,
 * as a build step would leave it; returns the workspace and the artifact's SHA-256.
 */
export function buildWorkspace(o: { content?: string; health?: string; artifact?: string } = {}): {
  workspace: string;
  sha256: string;
} {
  const artifact = o.artifact ?? ARTIFACT;
  const workspace = mkdtempSync(join(tmpdir(), 'dr-ws-'));
  const src = join(workspace, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'index.html'), o.content ?? 'hello 1.4.2');
  writeFileSync(join(src, 'bin/health'), o.health ?? HEALTH, { mode: 0o755 });
  mkdirSync(join(workspace, artifact, '..'), { recursive: true });
  execFileSync('tar', ['-czf', join(workspace, artifact), '-C', src, '.']);
  const sha256 = createHash('sha256')
    .update(readFileSync(join(workspace, artifact)))
    .digest('hex');
  return { workspace, sha256 };
}

/** Makes the workspace look checked out at `sha` (what the action reads for a `path` artifact). */
export function checkout(workspace: string, sha: string): void {
  mkdirSync(join(workspace, '.git'), { recursive: true });
  writeFileSync(join(workspace, '.git/HEAD'), `${sha}\n`);
}

/** Lead (alice) and two of ops approve the PR's current head. */
export function approveAll(gh: GitHubStandIn, pr: number): void {
  gh.review(pr, 'alice', 'APPROVED');
  gh.review(pr, 'olga', 'APPROVED');
  gh.review(pr, 'oscar', 'APPROVED');
}

/** A config text with `fields` (e.g. windows, emergency) added to its `staging` environment. */
export function withPolicy(config: string, fields: Record<string, unknown>): string {
  const parsed = load(config) as { environments: { staging: Record<string, unknown> } };
  Object.assign(parsed.environments.staging, fields);
  return dump(parsed, { lineWidth: 200 });
}
