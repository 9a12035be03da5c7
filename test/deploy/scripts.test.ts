// The generated remote scripts parse in every POSIX shell at hand (servers' sh is often bash).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activateScript } from '../../src/deploy/activate-script.js';
import { prepareScript } from '../../src/deploy/prepare-script.js';
import { releaseRemoteLock } from '../../src/deploy/remote-lock.js';
import { rollbackScript } from '../../src/deploy/rollback-script.js';
import { buildCheckScript } from '../../src/environment/check-script.js';
import { buildProvisionScript } from '../../src/environment/provision-script.js';
import { pullCheckScript } from '../../src/environment/pull-checks.js';
import type { ServerSession } from '../../src/ssh/types.js';

const run = promisify(execFile);
const shells = ['/bin/dash', '/bin/bash', '/bin/busybox', '/bin/ksh', '/bin/zsh'].filter(
  existsSync,
);
const common = {
  deployPath: "/srv/it's here",
  digest: 'ab'.repeat(16),
  staleMinutes: 120,
  releaseId: '20261125T210501Z-abababababab',
};
const env = { RELEASE: "1.0'$(x)", MULTI: 'a\nb' };

const scripts: Record<string, string> = {
  prepare: prepareScript({
    ...common,
    sha256: 'c'.repeat(64),
    size: 10,
    sharedLinks: ['app.env', 'a b/c'],
    metadataJson: JSON.stringify({ application: "it's" }, null, 2),
    beforeActivate: ['./bin/migrate', 'echo "$RELEASE"'],
    env,
  }),
  'prepare (minimal)': prepareScript({
    ...common,
    sha256: 'c'.repeat(64),
    size: 10,
    sharedLinks: [],
    metadataJson: '{}',
    beforeActivate: [],
    env: {},
  }),
  'prepare (pull)': prepareScript({
    ...common,
    sha256: 'c'.repeat(64),
    size: 0,
    sharedLinks: [],
    metadataJson: '{}',
    beforeActivate: [],
    env: {},
    pull: { url: "https://x.example/a'$(b).tgz?sig=1", show: 'https://x.example/a.tgz?…' },
  }),
  activate: activateScript({
    ...common,
    activate: './bin/restart',
    healthCheck: {
      run: 'curl -fsS http://127.0.0.1/health',
      retries: 3,
      interval_s: 0.5,
      timeout_s: 30,
    },
    rollbackOnFailure: true,
    keepReleases: 5,
    env,
    rollbackEnv: { ROLLBACK_FROM: 'x' },
  }),
  'activate (minimal)': activateScript({
    ...common,
    rollbackOnFailure: false,
    keepReleases: 1,
    env: {},
    rollbackEnv: {},
  }),
  rollback: rollbackScript({
    ...common,
    previousRelease: '20261124T000000Z-cdcdcdcdcdcd',
    activate: './bin/restart',
    rollbackEnv: env,
  }),
};

describe('generated scripts', () => {
  it.each(shells.flatMap((shell) => Object.keys(scripts).map((name) => [shell, name])))(
    '%s -n accepts %s',
    async (shell, name) => {
      const args = shell.endsWith('busybox') ? ['sh', '-n', '-c'] : ['-n', '-c'];
      await expect(run(shell, [...args, scripts[name]!])).resolves.toBeDefined();
    },
  );

  it('the lock release script parses too', async () => {
    let script = '';
    const session = {
      exec: async (command: string) => {
        script = command;
        return { code: 0, signal: null, stdout: '@@unlocked\n', stderr: '', timedOut: false };
      },
    } as unknown as ServerSession;
    expect(await releaseRemoteLock(session, 'app', common.digest)).toEqual({ released: true });
    expect(script).toContain('_dr_unlock');
    for (const shell of shells) {
      const args = shell.endsWith('busybox') ? ['sh', '-n', '-c'] : ['-n', '-c'];
      await expect(run(shell, [...args, script])).resolves.toBeDefined();
    }
  });
});

describe('shellcheck', () => {
  // Every script we send to servers, the environment's too: no warning or error (-S warning).
  const all = {
    ...scripts,
    checks: buildCheckScript({
      disk_free: { path: '/srv', min_mb: 1 },
      memory_available_mb: 1,
      binaries: ['tar'],
      ports_free: [8080],
      commands: [{ name: 'node', run: 'node --version', expect: '^v2' }],
    }),
    'checks (pull)':
      buildCheckScript({ binaries: [], ports_free: [], commands: [] }) +
      pullCheckScript({ source: { url: "https://x.example/a'b?s=1", show: 'https://x' } }) +
      pullCheckScript({ error: 'no link' }),
    provision: buildProvisionScript({
      directories: [{ path: 'app/shared', mode: '0750' }],
      files: [{ path: 'app/shared/app.env', content: "A='1'\n", mode: '0600' }],
      commands: [{ name: 'x', run: 'true', unless: 'false' }],
    }).script,
  };
  it.each(Object.keys(all))('finds nothing to warn about in %s', async (name) => {
    const child = run('shellcheck', ['-s', 'sh', '-S', 'warning', '-f', 'gcc', '-']);
    child.child.stdin!.end(all[name as keyof typeof all]);
    const result = await child.catch((error: { stdout?: string }) => ({
      stdout: error.stdout || String(error),
    }));
    expect(result.stdout).toBe('');
  });
});
