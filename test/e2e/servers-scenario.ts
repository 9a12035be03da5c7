// Real sshd servers plus a trusted config that points at them, for trusted-run e2e tests.
import { dump } from 'js-yaml';
import { afterAll, beforeAll } from 'vitest';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import {
  startSshServers,
  type SshServers,
  type StartOptions,
  type TestServer,
} from '../support/sshd.js';

export interface EnvironmentOverrides {
  checks?: Record<string, unknown>;
  provision?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  confirm?: Record<string, unknown>;
  servers?: Array<Record<string, unknown>>;
}

/** Starts `count` sshd servers for the test file; stopped after it. */
export function useSshServers(count: number, opts: StartOptions = {}): () => SshServers {
  let fleet: SshServers | undefined;
  beforeAll(async () => {
    fleet = await startSshServers(count, opts);
  });
  afterAll(async () => {
    await fleet?.stop();
  });
  return () => {
    if (!fleet) throw new Error('sshd servers not started');
    return fleet;
  };
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

/** A config with one environment `staging` on the given servers; lead (alice) then ops (2 of team ops). */
export function configFor(servers: TestServer[], o: EnvironmentOverrides = {}): string {
  const config = {
    version: 1,
    environments: {
      staging: {
        servers: o.servers ?? servers.map(serverEntry),
        approval: {
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
      },
    },
  };
  return dump(config, { lineWidth: 200 });
}

export const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export function requestFor(extra = ''): string {
  return `version: 1\napplication: web\nenvironment: staging\nrelease: 1.4.2\nartifact:\n  url: https://example.com/web-1.4.2.tar.gz\n  sha256: ${SHA}\nreason: Roll out the new checkout flow\n${extra}`;
}

/** Lead and two ops approve the PR's current head. */
export function approveAll(gh: GitHubStandIn, pr: number): void {
  gh.review(pr, 'alice', 'APPROVED');
  gh.review(pr, 'olga', 'APPROVED');
  gh.review(pr, 'oscar', 'APPROVED');
}
