// SPEC §4 invariant 13, end to end, as docs/examples/workflows/deploy-request-build.yml runs it:
// the key-holding run checks out nothing of the pull request, its archive (built by a job without
// the key) is downloaded outside the workspace and found through `artifact-dir`, and only bytes
// matching the request's sha256 deploy. A pull-request file in the workspace is never read.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ARTIFACT,
  currentOf,
  OLD_RELEASE,
  promptedFlow,
  releases,
  resetHome,
  seedRelease,
  sessions,
  useSshServers,
  type Flow,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

/** The operate job's view: an empty workspace, the build downloaded into RUNNER_TEMP. */
function downloadIntoRunnerTemp(p: Flow): string {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'dr-runner-temp-'));
  const dir = join(runnerTemp, 'deploy-request-build');
  mkdirSync(join(dir, 'build'), { recursive: true });
  renameSync(join(p.workspace, ARTIFACT), join(dir, ARTIFACT));
  rmSync(p.workspace, { recursive: true, force: true });
  mkdirSync(p.workspace);
  return dir;
}

describe('invariant 13: a build from another job deploys from RUNNER_TEMP, bound by sha256', () => {
  it('no checkout at all: the archive in artifact-dir deploys', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    const dir = downloadIntoRunnerTemp(p);
    const result = await p.say('dev', `/confirm ${p.digest}`, { inputs: { 'artifact-dir': dir } });
    expect(result.outputs.phase, result.stdout).toBe('deployed');
    expect(releases(servers[0]!)).toHaveLength(1);
  });

  it('other bytes in artifact-dir, or a pull-request symlink in the workspace, deploy nothing', async () => {
    const { servers, clientKey } = fleet();
    const server = servers[0]!;
    seedRelease(server);
    const p = await promptedFlow(servers, clientKey.privateKey);
    const dir = downloadIntoRunnerTemp(p);
    writeFileSync(join(dir, ARTIFACT), 'not the approved archive');
    // What the old example allowed: a committed `build` symlink into the runner's own files.
    symlinkSync(dir, join(p.workspace, 'build'));
    const before = sessions(server);
    const result = await p.say('dev', `/confirm ${p.digest}`, { inputs: { 'artifact-dir': dir } });
    expect(['deploy-failed', 'refused']).toContain(result.outputs.phase);
    expect(result.stdout).toMatch(/has SHA-256 [0-9a-f]{64}, but the request says/);
    expect(currentOf(server)).toBe(`releases/${OLD_RELEASE}`);
    expect(releases(server)).toEqual([OLD_RELEASE]);
    expect(sessions(server)).toBe(before);
  });
});
