// Every remote script parses in every POSIX shell at hand (servers' sh is dash, bash or busybox
// ash) and has nothing shellcheck warns about: each .sh file under src/remote/ on its own, and
// each script as the runner assembles it, with hostile sample values.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activateScript } from '../../../src/deploy/activate-script.js';
import { prepareScript } from '../../../src/deploy/prepare-script.js';
import { releaseRemoteLock } from '../../../src/deploy/remote-lock.js';
import { rollbackScript } from '../../../src/deploy/rollback-script.js';
import { buildCheckScript, checkValues } from '../../../src/environment/check-script.js';
import { environmentScript } from '../../../src/environment/environment-script.js';
import { pullCheckScript } from '../../../src/environment/pull-checks.js';
import {
  buildProvisionScript,
  provisionValues,
} from '../../../src/environment/provision-script.js';
import { finishedHeads } from '../../../src/ledger/ledger-entry.js';
import { deployConfig, releaseMetadata } from '../../support/fixtures.js';
import { ledgerScript } from '../../../src/ledger/read-ledgers.js';
import { switchScript } from '../../../src/deploy/switch-release.js';
import type { ChecksConfig, ProvisionConfig } from '../../../src/config/types.js';
import type { ServerSession } from '../../../src/ssh/types.js';

const run = promisify(execFile);
const dir = join(import.meta.dirname, '../../../src/remote');
const files = readdirSync(dir).filter((name) => name.endsWith('.sh'));

/** [label, program, args before the script]: dash, bash and busybox sh are required. */
const shells: Array<[string, string, string[]]> = [
  ['dash', 'dash', ['-n', '-c']],
  ['bash', 'bash', ['-n', '-c']],
  ['busybox sh', 'busybox', ['sh', '-n', '-c']],
  ...(['/bin/ksh', '/bin/zsh'].filter(existsSync).map((p) => [p, p, ['-n', '-c']]) as Array<
    [string, string, string[]]
  >),
];

/** The tool's own output when it finds something, '' when it does not. */
async function findings(program: string, args: string[], stdin?: string): Promise<string> {
  const child = run(program, args);
  if (stdin !== undefined) child.child.stdin!.end(stdin);
  return child.then(
    (r) => `${r.stdout}${r.stderr}`,
    (error: { stdout?: string; stderr?: string; message: string }) =>
      `${error.stdout ?? ''}${error.stderr ?? ''}` || error.message,
  );
}

const common = {
  deployPath: "/srv/it's here",
  digest: 'ab'.repeat(16),
  staleMinutes: 120,
  releaseId: '20261125T210501Z-abababababab',
};
const env = { RELEASE: "1.0'$(x)", MULTI: 'a\nb' };
const checks: ChecksConfig = {
  disk_free: { path: '/srv', min_mb: 1 },
  memory_available_mb: 1,
  binaries: ['tar', "it's"],
  ports_free: [8080],
  commands: [{ name: 'node', run: 'node --version', expect: '^v2' }],
};
const provision: ProvisionConfig = {
  directories: [{ path: 'app/shared', mode: '0750', owner: 'me:us' }],
  files: [{ path: 'app/shared/app.env', content: "A='1'\n$(x)\n", mode: '0600' }],
  commands: [{ name: 'x', run: 'true', unless: 'false' }],
};

async function releaseLockScript(): Promise<string> {
  let script = '';
  const session = {
    exec: async (command: string) => {
      script = command;
      return { code: 0, signal: null, stdout: '@@unlocked\n', stderr: '', timedOut: false };
    },
  } as unknown as ServerSession;
  expect(await releaseRemoteLock(session, 'app', common.digest)).toEqual({ released: true });
  return script;
}

const assembled: Record<string, () => string | Promise<string>> = {
  prepare: () =>
    prepareScript({
      ...common,
      sha256: 'c'.repeat(64),
      size: 10,
      sharedLinks: ['app.env', 'a b/c'],
      metadataJson: JSON.stringify({ application: "it's" }, null, 2),
      beforeActivate: ['./bin/migrate', 'echo "$RELEASE"'],
      env,
    }),
  'prepare (minimal)': () =>
    prepareScript({
      ...common,
      sha256: 'c'.repeat(64),
      size: 10,
      sharedLinks: [],
      metadataJson: '{}',
      beforeActivate: [],
      env: {},
    }),
  'prepare (pull)': () =>
    prepareScript({
      ...common,
      sha256: 'c'.repeat(64),
      size: 0,
      sharedLinks: [],
      metadataJson: '{}',
      beforeActivate: [],
      env: {},
      pull: { url: "https://x.example/a'$(b).tgz?sig=1", show: 'https://x.example/a.tgz?…' },
    }),
  activate: () =>
    activateScript({
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
      entry: finishedHeads({
        ...releaseMetadata({ application: "it's" }),
        release_id: 'r',
        server: 's',
      }),
    }),
  'activate (minimal)': () =>
    activateScript({
      ...common,
      rollbackOnFailure: false,
      keepReleases: 1,
      env: {},
      rollbackEnv: {},
      entry: { deployed: '{', failed: '{' },
    }),
  rollback: () =>
    rollbackScript({
      ...common,
      previousRelease: '20261124T000000Z-cdcdcdcdcdcd',
      activate: './bin/restart',
      rollbackEnv: env,
    }),
  'release lock': releaseLockScript,
  environment: () => environmentScript(provisionValues(provision).values, checkValues(checks)),
  'environment (checks only)': () => buildCheckScript(checks),
  'environment (pull checks)': () => {
    const pull = pullCheckScript({ source: { url: "https://x.example/a'b?s=1", show: 'x' } });
    return environmentScript(
      { _dr_items: 0 },
      { ...checkValues(checks), ...pull.values },
      ...pull.parts,
    );
  },
  'environment (provision only)': () => buildProvisionScript(provision).script,
  'ledger read': () => ledgerScript(common.deployPath),
  'release switch': () =>
    switchScript({
      deploy: deployConfig({
        path: common.deployPath,
        activate: './bin/restart',
        health_check: {
          run: 'curl -fsS http://127.0.0.1/',
          retries: 2,
          interval_s: 1,
          timeout_s: 5,
        },
      }),
      digest: common.digest,
      targetId: common.releaseId,
      expectedCurrent: '20261124T000000Z-cdcdcdcdcdcd',
      abandonedMeta: JSON.stringify({ bad: true, bad_reason: "rolled back by @o'x" }),
      env,
    }),
  'release switch (minimal)': () =>
    switchScript({
      deploy: deployConfig(),
      digest: common.digest,
      targetId: common.releaseId,
      expectedCurrent: 'x',
      abandonedMeta: '{}',
      env: {},
    }),
};

describe('each .sh file under src/remote/', () => {
  it('there are the files this test expects', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'prelude.sh',
        'deploy-lib.sh',
        'deploy-prepare.sh',
        'activate-lib.sh',
        'ledger-read.sh',
        'release-switch.sh',
        'environment.sh',
      ]),
    );
  });

  it.each(files)('shellcheck -s sh finds nothing in %s', async (file) => {
    expect(
      await findings('shellcheck', ['-s', 'sh', '-S', 'warning', '-f', 'gcc', join(dir, file)]),
    ).toBe('');
  });

  it.each(
    shells.flatMap(([label, program, args]) => files.map((file) => [label, file, program, args])),
  )('%s -n accepts %s', async (_label, file, program, args) => {
    const text = readFileSync(join(dir, file as string), 'utf8');
    expect(await findings(program as string, [...(args as string[]), text])).toBe('');
  });
});

describe('each script as assembled, with sample values', () => {
  it.each(Object.keys(assembled))('shellcheck -s sh finds nothing in %s', async (name) => {
    const script = await assembled[name]!();
    expect(
      await findings('shellcheck', ['-s', 'sh', '-S', 'warning', '-f', 'gcc', '-'], script),
    ).toBe('');
  });

  it.each(
    shells.flatMap(([label, program, args]) =>
      Object.keys(assembled).map((name) => [label, name, program, args]),
    ),
  )('%s -n accepts %s', async (_label, name, program, args) => {
    const script = await assembled[name as string]!();
    expect(await findings(program as string, [...(args as string[]), script])).toBe('');
  });
});
