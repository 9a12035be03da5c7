// What the demo repository holds: the trusted config on `main`, the developer's request file and a
// small release artifact built in a workspace checked out at the PR head (as actions/checkout would).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { TestServer } from '../test/support/sshd.js';

export const CONFIG_PATH = '.github/deploy-request.yml';
export const REQUEST_PATH = 'deploy-requests/web-1.4.2.yml';
export const ARTIFACT = 'build/web-1.4.2.tar.gz';
export const RELEASE = '1.4.2';
/** Where the release lives on each server, relative to the login user's home. */
export const DEPLOY_PATH = 'app';

/** A TCP port nobody listens on now, for the `ports_free` check and the app's PORT. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The trusted configuration on `main`: one environment, two approval stages, both servers. */
export function demoConfig(servers: TestServer[], appPort: number): string {
  const config = {
    version: 1,
    environments: {
      staging: {
        servers: servers.map((s) => ({
          name: s.name,
          host: s.host,
          port: s.port,
          user: s.user,
          host_key: s.hostKey,
        })),
        approval: {
          stages: [
            { name: 'lead', reviewers: ['alice'], required: 1 },
            { name: 'ops', reviewers: ['acme/ops'], required: 2 },
          ],
        },
        provision: {
          directories: [{ path: `${DEPLOY_PATH}/shared`, mode: '0750' }],
          files: [
            {
              path: `${DEPLOY_PATH}/shared/app.env`,
              content: `PORT=${appPort}\n`,
              mode: '0600',
            },
          ],
          commands: [
            {
              name: 'log directory',
              run: `mkdir -p ${DEPLOY_PATH}/shared/log`,
              unless: `test -d ${DEPLOY_PATH}/shared/log`,
            },
          ],
        },
        checks: {
          disk_free: { path: '.', min_mb: 16 },
          memory_available_mb: 32,
          binaries: ['tar', 'gzip', 'sh'],
          ports_free: [appPort],
          commands: [{ name: 'linux', run: 'uname -s', expect: '^Linux$' }],
        },
        deploy: {
          path: DEPLOY_PATH,
          keep_releases: 3,
          batch_size: 1,
          request_variables: ['FEATURE_CHECKOUT'],
          activate: 'echo "web $RELEASE live, checkout=$FEATURE_CHECKOUT" > ../../shared/live',
          health_check: { run: './bin/health', retries: 3, interval_s: 1 },
          rollback_on_failure: true,
        },
        confirm: { within_hours: 24 },
      },
    },
  };
  return `# Trusted configuration: read from main only, never from a pull request.\n${dump(config, { lineWidth: 200 })}`;
}

/** The file the developer's pull request adds. */
export function demoRequest(sha256: string): string {
  return [
    'version: 1',
    'application: web',
    'environment: staging',
    `release: ${RELEASE}`,
    'artifact:',
    `  path: ${ARTIFACT}`,
    `  sha256: ${sha256}`,
    'reason: Roll out the new checkout flow',
    'variables: { FEATURE_CHECKOUT: "on" }',
    '',
  ].join('\n');
}

const HEALTH = `#!/bin/sh
# Healthy when the page this release serves is in place and names the release.
grep -q "web $RELEASE" "$RELEASE_DIR/index.html" || exit 1
echo "healthy: $(cat "$RELEASE_DIR/index.html")"
`;

/** A workspace with the release artifact (index.html + bin/health); returns its SHA-256. */
export function buildWorkspace(): { workspace: string; sha256: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'dr-demo-ws-'));
  const src = join(workspace, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'index.html'), `<h1>web ${RELEASE}</h1>\n`);
  writeFileSync(join(src, 'bin/health'), HEALTH, { mode: 0o755 });
  mkdirSync(join(workspace, 'build'));
  execFileSync('tar', ['-czf', join(workspace, ARTIFACT), '-C', src, '.']);
  const sha256 = createHash('sha256')
    .update(readFileSync(join(workspace, ARTIFACT)))
    .digest('hex');
  return { workspace, sha256 };
}

/** Makes the workspace look checked out at `sha` (what the action reads for a `path` artifact). */
export function checkout(workspace: string, sha: string): void {
  mkdirSync(join(workspace, '.git'), { recursive: true });
  writeFileSync(join(workspace, '.git/HEAD'), `${sha}\n`);
}
