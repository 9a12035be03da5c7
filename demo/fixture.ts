// What the demo repository holds: the trusted config on `main`, the developer's request file and a
// small release artifact built in a workspace checked out at the PR head (as actions/checkout would).
// Built from the fixtures the e2e tests and the bench use (test/support/fixtures.ts).
import net from 'node:net';
import { dump, load } from 'js-yaml';
import {
  buildWorkspace as buildFixtureWorkspace,
  configFor,
  requestText,
} from '../test/support/fixtures.js';
import type { TestServer } from '../test/support/sshd.js';

export { checkout, CONFIG_PATH, REQUEST_PATH } from '../test/support/fixtures.js';
export const RELEASE = '1.4.2';
/** The release that goes out after RELEASE, and is rolled back. */
export const NEXT_RELEASE = '1.4.3';
export const artifactOf = (release: string) => `build/web-${release}.tar.gz`;
export const ARTIFACT = artifactOf(RELEASE);
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

/** A year-end freeze four weeks from now (dates in UTC), so the demo is never inside it. */
export function demoFreeze(now = new Date()): { from: string; to: string; reason: string } {
  const day = (offset: number) =>
    new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(28), to: day(31), reason: 'year-end freeze' };
}

/** The trusted configuration on `main`: one environment, two approval stages, both servers. */
export function demoConfig(servers: TestServer[], appPort: number): string {
  const config = configFor(servers, {
    provision: {
      directories: [{ path: `${DEPLOY_PATH}/shared`, mode: '0750' }],
      files: [
        { path: `${DEPLOY_PATH}/shared/app.env`, content: `PORT=${appPort}\n`, mode: '0600' },
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
      activate: 'echo "web $RELEASE live, checkout=$FEATURE_CHECKOUT" > ../../shared/live',
      health_check: { run: './bin/health', retries: 3, interval_s: 1 },
      rollback_on_failure: true,
    },
  });
  // A policy gate (README "Policies"): the prompt and the status comment show the window state.
  const withWindows = load(config) as {
    environments: { staging: Record<string, unknown> };
  };
  withWindows.environments.staging.windows = { timezone: 'UTC', freezes: [demoFreeze()] };
  // Break-glass (README "Break-glass"): `/emergency <reason>` lets the on-call ship in a freeze.
  withWindows.environments.staging.emergency = {
    approvers: ['acme/ops'],
    required: 1,
    may_skip: ['windows'],
    review: { reviewers: ['alice'], within_hours: 24 },
  };
  return `# Trusted configuration: read from main only, never from a pull request.\n${dump(withWindows, { lineWidth: 100 })}`;
}

/** The file the developer's pull request adds. */
export function demoRequest(sha256: string, release = RELEASE): string {
  return requestText({
    artifact: { path: artifactOf(release) },
    sha256,
    release,
    extra: 'variables: { FEATURE_CHECKOUT: "on" }\n',
  });
}

const HEALTH = `#!/bin/sh
# Healthy when the page this release serves is in place and names the release.
grep -q "web $RELEASE" "$RELEASE_DIR/index.html" || exit 1
echo "healthy: $(cat "$RELEASE_DIR/index.html")"
`;

/** A workspace with the release artifact (index.html + bin/health); returns its SHA-256. */
export function buildWorkspace(release = RELEASE): { workspace: string; sha256: string } {
  return buildFixtureWorkspace({
    content: `<h1>web ${release}</h1>\n`,
    health: HEALTH,
    artifact: artifactOf(release),
  });
}
