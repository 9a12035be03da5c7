// The generated remote scripts parse in every POSIX shell at hand (servers' sh is often bash).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activateScript } from '../../src/deploy/activate-script.js';
import { prepareScript } from '../../src/deploy/prepare-script.js';
import { releaseRemoteLock } from '../../src/deploy/remote-lock.js';
import { rollbackScript } from '../../src/deploy/rollback-script.js';
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
