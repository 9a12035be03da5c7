// SSH faults during /confirm, through dist/index.js on two real sshd servers (rolling, one server
// per batch, rollback on failure): connection refused, authentication refused, a server killed
// mid-deploy, `sudo` missing in activate, a hanging health check. Each time: a clear per-server
// error in the result, `current` on a complete release (the previous one), the environment lock
// ref released, the Deployment `failure`, and a following /recheck then /confirm deploys.
import { execFileSync } from 'node:child_process';
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import configSchema from '../../schemas/deploy-request-config.schema.json' with { type: 'json' };
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockingHook,
  currentOf,
  expectCompleteCurrent,
  expectNoStackTrace,
  fifo,
  lockRefs,
  OLD_RELEASE,
  promptedFlow,
  resetHome,
  seedRelease,
  serverEntry,
  untilStarted,
  useSshServers,
  type FlowOptions,
  type RunResult,
  type TestServer,
} from './support.js';

const fleet = useSshServers(2);
let restore: (() => Promise<void> | void) | undefined;
beforeEach(() => {
  for (const server of fleet().servers) {
    resetHome(server);
    seedRelease(server);
  }
});
afterEach(async () => {
  await restore?.();
  restore = undefined;
});

type Prompted = Awaited<ReturnType<typeof promptedFlow>>;

async function prompted(o: FlowOptions = {}): Promise<Prompted> {
  const { servers, clientKey } = fleet();
  return promptedFlow(servers, clientKey.privateKey, {
    ...o,
    deploy: { health_check: { run: './bin/health', retries: 1, interval_s: 0 }, ...o.deploy },
  });
}

/** The outcome every fault must have; returns the result comment. */
function expectCleanFailure(p: Prompted, result: RunResult, server: string, error: RegExp): string {
  expect(result.outputs.phase, result.stdout).toBe('deploy-failed');
  expect(result.code).toBe(1);
  expectNoStackTrace(result);
  const comment = p.gh.comments(p.number).find((c) => c.body.includes('❌ Deployment of web'));
  expect(comment, 'a result comment').toBeDefined();
  const row = comment!.body.split('\n').find((l) => l.startsWith(`| ${server} | ❌ failed |`));
  expect(row, `a failed row for ${server}`).toMatch(error);
  for (const s of fleet().servers) expect(currentOf(s), s.name).toBe(`releases/${OLD_RELEASE}`);
  expect(lockRefs(p.gh)).toEqual([]);
  expect(p.gh.deploymentState(p.deploymentId)).toMatch(/^(failure|error)$/);
  return comment!.body;
}

/** After the fault is fixed: /recheck posts a new prompt and /confirm deploys every server. */
async function expectRecovery(p: Prompted): Promise<void> {
  const recheck = await p.say('dev', '/recheck');
  expect(recheck.outputs.phase, recheck.stdout).toBe('awaiting-confirmation');
  const confirm = await p.say('dev', `/confirm ${recheck.outputs.digest}`);
  expect(confirm.outputs.phase, confirm.stdout).toBe('deployed');
  expect(confirm.outputs.result).toBe('2/2 servers deployed');
  for (const server of fleet().servers) {
    expect(expectCompleteCurrent(server)).not.toBe(OLD_RELEASE);
  }
  expect(lockRefs(p.gh)).toEqual([]);
}

describe('SSH faults during /confirm', () => {
  it('connection refused on the second server: the first is rolled back', async () => {
    const [, web2] = fleet().servers as [TestServer, TestServer];
    const p = await prompted();
    await web2.kill();
    restore = () => web2.restart();
    const result = await p.say('dev', `/confirm ${p.digest}`);
    const body = expectCleanFailure(p, result, web2.name, /connection refused; is sshd running/);
    expect(body).toMatch(/\| web-1 \| ✅ deployed \| .* \| yes → 20200101T000000Z-0123456789ab \|/);

    await web2.restart();
    restore = undefined;
    await expectRecovery(p);
  });

  it('authentication refused (a key the servers do not accept): nothing is switched anywhere', async () => {
    const [web1] = fleet().servers as [TestServer, TestServer];
    const p = await prompted();
    const dir = mkdtempSync(join(tmpdir(), 'dr-key-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    const result = await p.say('dev', `/confirm ${p.digest}`, {
      inputs: { 'ssh-private-key': readFileSync(join(dir, 'id'), 'utf8') },
    });
    const body = expectCleanFailure(
      p,
      result,
      web1.name,
      /the server refused key authentication for user dr-test-\d+ \(key SHA256:/,
    );
    expect(body).toMatch(/\| web-2 \| ⏭️ not started \|/);
    await expectRecovery(p);
  });

  it('a server killed mid-deploy (blocked in before_activate): nothing half-switched, the other rolled back', async () => {
    const [, web2] = fleet().servers as [TestServer, TestServer];
    const p = await prompted({ deploy: { before_activate: [blockingHook('k')] } });
    fifo(web2, 'k.go'); // only web-2 blocks
    const started = fifo(web2, 'k.started');
    const running = p.say('dev', `/confirm ${p.digest}`);
    await untilStarted(started, running);
    await web2.kill();
    restore = () => web2.restart();
    const result = await running;
    // Killed with its sessions: either the connection drops, or the dying command's status arrives.
    expectCleanFailure(
      p,
      result,
      web2.name,
      /connection lost|the connection or the server went away|exited with (code )?137/,
    );

    await web2.restart();
    restore = undefined;
    rmSync(join(web2.home, 'k.go'), { force: true });
    rmSync(join(web2.home, 'k.started'), { force: true });
    await expectRecovery(p);
  });

  it('`sudo` not available in activate: activate fails, the server goes back; installing it fixes the next run', async () => {
    const [web1] = fleet().servers as [TestServer, TestServer];
    const activate = 'PATH="$HOME/bin:$PATH" sudo -n sh -c \'echo restarted > "$HOME/restarted"\'';
    const p = await prompted({ deploy: { activate } });
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expectCleanFailure(
      p,
      result,
      web1.name,
      /activate: .{1,2}PATH=.*sudo -n .* exited with 127; rolled back to 20200101T000000Z-0123456789ab/,
    );
    expect(result.stdout).toMatch(/sudo: not found|sudo: command not found/);

    // The admin installs sudo (a stand-in that runs the command) on every server.
    for (const server of fleet().servers) {
      const bin = join(server.home, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'sudo'), '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', {
        mode: 0o755,
      });
      const { uid, gid } = statSync(server.home);
      chownSync(bin, uid, gid);
    }
    await expectRecovery(p);
    expect(readFileSync(join(web1.home, 'restarted'), 'utf8')).toBe('restarted\n');
  });

  const healthTimeout = 'timeout_s' in configSchema.$defs.deploy.properties.health_check.properties;
  // Needs a per-attempt bound on health_check (not in the schema yet): without one, a hanging
  // check holds the deployment until the 30-minute command timeout.
  it.skipIf(!healthTimeout)(
    'a health check that hangs times out: failure, rollback, and a working next run',
    async () => {
      const [web1] = fleet().servers as [TestServer, TestServer];
      const p = await prompted({
        deploy: {
          health_check: {
            run: 'if [ -p "$HOME/hang" ]; then cat "$HOME/hang"; fi; ./bin/health',
            retries: 1,
            interval_s: 0,
            timeout_s: 2,
          },
        },
      });
      const hang = fifo(web1, 'hang');
      const result = await p.say('dev', `/confirm ${p.digest}`);
      expectCleanFailure(p, result, web1.name, /health/);
      rmSync(hang);
      await expectRecovery(p);
    },
  );

  // User commands write to a temp file, not the SSH channel, so a process that activate starts in
  // the background (how apps are usually started) does not hold the deployment open.
  it('an activate that starts a daemon does not hold the deployment until the daemon exits', async () => {
    const [web1] = fleet().servers as [TestServer, TestServer];
    const p = await prompted({
      servers: [serverEntry(web1)],
      deploy: { activate: 'sleep 5 &' },
    });
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deployed');
    expect(result.durationMs).toBeLessThan(4000);
  });
});
