// One server's deployment and rollback, and the rollout across servers, with scripted sessions:
// each round trip answers what a server would (markers, exit codes) or fails as a connection can.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { releaseRemoteLock } from '../../../src/deploy/remote-lock.js';
import { rollbackServer } from '../../../src/deploy/rollback-server.js';
import { rollout } from '../../../src/deploy/rollout.js';
import type { ServerDeployInput, ServerDeployResult } from '../../../src/deploy/types.js';
import type { ExecResult, ServerSession } from '../../../src/ssh/types.js';
import { deployConfig, releaseMetadata } from './support.js';

type Answer = Partial<ExecResult> | Error;

function session(name: string, answers: Answer[], o: { closeFails?: boolean } = {}) {
  const commands: string[] = [];
  const s: ServerSession & { commands: string[]; closed: boolean } = {
    server: { name, host: 'h', port: 22, user: 'u', host_key: 'k' } as ServerConfig,
    commands,
    closed: false,
    async exec(command) {
      commands.push(command);
      const next = answers.shift() ?? { code: 0 };
      if (next instanceof Error) throw next;
      return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false, ...next };
    },
    async close() {
      s.closed = true;
      if (o.closeFails) throw new Error('already closed');
    },
  };
  return s;
}

let artifactFile = '';
beforeAll(async () => {
  artifactFile = join(await mkdtemp(join(tmpdir(), 'dr-srv-')), 'a.tgz');
  await writeFile(artifactFile, 'bytes');
});

const RELEASE = '20260101T000000Z-aaaaaaaaaaaa';
function input(o: Partial<ServerDeployInput> = {}): ServerDeployInput & { lines: string[] } {
  const lines: string[] = [];
  return {
    artifactFile,
    sha256: 'a'.repeat(64),
    size: 5,
    deploy: deployConfig({ activate: './bin/restart' }),
    releaseId: RELEASE,
    digest: 'a'.repeat(64),
    metadata: releaseMetadata({ release: '1', digest: 'a'.repeat(64) }),
    env: {},
    log: { info: (l) => lines.push(l) },
    lines,
    ...o,
  };
}

const PREPARED = {
  code: 0,
  stdout: '@@lock taken\n@@previous r-old\n@@verified sha256sum\n@@prepared\n',
};

describe('deployToServer input checks (nothing runs)', () => {
  it.each([
    [{ releaseId: '../x' }, 'input: release id "../x" is malformed'],
    [{ digest: 'XYZ' }, 'input: the digest must be lowercase hex'],
    [{ sha256: 'abc' }, 'input: sha256 must be 64 lowercase hex digits'],
    [{ size: -1 }, 'input: size must be a byte count'],
    [{ size: 1.5 }, 'input: size must be a byte count'],
    [{ env: { 'bad name': 'x' } }, 'input: variable name "bad name" is not allowed'],
    [
      { deploy: deployConfig({ shared_links: ['ok', '../up'] }) },
      'input: shared_links entry "../up" leaves shared/',
    ],
    [
      { deploy: deployConfig({ shared_links: ['/abs'] }) },
      'input: shared_links entry "/abs" leaves shared/',
    ],
    [
      { deploy: deployConfig({ shared_links: ['./'] }) },
      'input: shared_links entry "./" leaves shared/',
    ],
  ])('%j', async (o, error) => {
    const s = session('web-1', []);
    const r = await deployToServer(s, input(o));
    expect(r).toMatchObject({ ok: false, error, switched: false });
    expect(s.commands).toEqual([]);
  });
});

describe('deployToServer round trips', () => {
  it('success: upload line with rate, switch, health, prune; logs every step', async () => {
    const s = session('web-1', [
      {
        ...PREPARED,
        stdout: `@@step upload\n@@step verify\n${PREPARED.stdout}`,
        lineAt: [1000, 3000, 3001, 3002, 3003, 3004],
      },
      {
        code: 0,
        stdout: '@@switched\n@@health passed 1\n@@pruned r-1\n@@pruned r-2\n@@unlocked\n@@done\n',
      },
    ]);
    const i = input({ size: 5e6 });
    const r = await deployToServer(s, i);
    expect(r).toMatchObject({
      ok: true,
      switched: true,
      health: 'passed',
      previousRelease: 'r-old',
    });
    expect(i.lines).toEqual(
      expect.arrayContaining([
        'lock: taken',
        'upload: 4.8 MiB in 2.0 s, 3 MB/s; SHA-256 verified on the server (sha256sum)',
        `unpacked: releases/${RELEASE}`,
        `switched: current -> releases/${RELEASE} (previous: r-old)`,
        'health: passed after 1 attempt(s)',
        'pruned: r-1, r-2',
      ]),
    );
  });

  it('a first deployment has no previous release; no health check means skipped', async () => {
    const s = session('web-1', [
      { code: 0, stdout: '@@lock taken\n@@previous \n@@prepared\n' },
      { code: 0, stdout: '@@switched\n@@unlocked\n@@done\n' },
    ]);
    const i = input();
    const r = await deployToServer(s, i);
    expect(r).toMatchObject({ ok: true, health: 'skipped' });
    expect(r.previousRelease).toBeUndefined();
    expect(i.lines).toContain(`switched: current -> releases/${RELEASE} (previous: none)`);
    expect(i.lines.find((l) => l.startsWith('upload:'))).toBe(
      'upload: 5 B in 0 ms; SHA-256 verified on the server (?)',
    );
  });

  it('the upload connection fails: nothing switched, the lock is released afterwards', async () => {
    const s = session('web-1', [new Error('channel closed'), { code: 0, stdout: '@@unlocked\n' }]);
    const i = input();
    const r = await deployToServer(s, i);
    expect(r).toMatchObject({
      ok: false,
      switched: false,
      error: 'upload: channel closed (nothing was switched)',
    });
    expect(i.lines).toContain('lock: released after the lost round trip');
  });

  it('the lock release finds the lock someone else’s, or fails: said, never thrown', async () => {
    const theirs = session('web-1', [{ code: 0, stdout: '@@lock lost other-digest\n' }]);
    theirs.exec = ((orig) => async (c: string) => {
      if (theirs.commands.length === 0) {
        theirs.commands.push(c);
        throw 'a string, not an Error';
      }
      return orig(c);
    })(theirs.exec.bind(theirs));
    const i = input();
    const r = await deployToServer(theirs, i);
    expect(r.error).toBe('upload: a string, not an Error (nothing was switched)');
    expect(i.lines).toContain('lock: not ours any more (held by other-digest)');

    const broken = session('web-1', [new Error('lost'), { code: 2, stderr: 'permission denied' }]);
    const j = input({ lockStaleMinutes: 30 });
    await deployToServer(broken, j);
    expect(j.lines).toContain(
      'lock: could not be released (releasing the lock failed: permission denied); it goes stale after 30 min',
    );
  });

  it('prepare refused by the script: its own error', async () => {
    const s = session('web-1', [
      { code: 1, stdout: '@@lock taken\n@@error the SHA-256 on the server is b…\n@@unlocked\n' },
    ]);
    const r = await deployToServer(s, input());
    expect(r.error).toBe('prepare: the SHA-256 on the server is b…');
  });

  it('the activation round trip is lost: switched cannot be ruled out', async () => {
    const s = session('web-1', [
      PREPARED,
      new Error('connection reset'),
      { code: 0, stdout: '@@unlocked\n' },
    ]);
    const r = await deployToServer(s, input());
    expect(r).toMatchObject({
      ok: false,
      switched: true,
      error: `activate: connection reset; current may already point to releases/${RELEASE}`,
    });
  });

  it('the activation script is cut off before saying it switched: may already point there', async () => {
    const s = session('web-1', [PREPARED, { code: null, stdout: '@@step switch\n' }]);
    const r = await deployToServer(s, input());
    expect(r.switched).toBe(true);
    expect(r.error).toBe(
      `switch: the script ended without an exit status (the connection or the server went away); current may already point to releases/${RELEASE}`,
    );
  });

  it('health failed and rolled back: said in the log', async () => {
    const s = session('web-1', [
      PREPARED,
      { code: 1, stdout: '@@switched\n@@health failed 2 7\n@@rolledback r-old\n@@unlocked\n' },
    ]);
    const i = input({
      deploy: deployConfig({
        health_check: { run: 'x', retries: 2, interval_s: 1, timeout_s: 10 },
      }),
    });
    const r = await deployToServer(s, i);
    expect(r).toMatchObject({ ok: false, rolledBack: true, health: 'failed' });
    expect(i.lines).toContain('rolled back: current -> releases/r-old');
  });

  it('without a log, nothing is logged (and nothing breaks)', async () => {
    const s = session('web-1', [PREPARED, { code: 0, stdout: '@@switched\n@@done\n@@unlocked\n' }]);
    const withoutLog: ServerDeployInput = { ...input(), log: undefined };
    expect((await deployToServer(s, withoutLog)).ok).toBe(true);
  });
});

describe('rollbackServer', () => {
  const base = {
    deploy: deployConfig(),
    digest: 'a'.repeat(64),
    releaseId: RELEASE,
    previousRelease: 'r-old',
    env: { RELEASE: 'x', DIGEST: 'y', KEEP: 'z' },
  };

  it.each([['../x'], [''], ['a/b'], ['..']])(
    'refuses previous release %j',
    async (previousRelease) => {
      const s = session('web-1', []);
      const r = await rollbackServer(s, { ...base, previousRelease });
      expect(r).toMatchObject({ ok: false, error: 'input: malformed release names' });
      expect(s.commands).toEqual([]);
    },
  );

  it('rolled back; current already elsewhere is left alone; failures say why', async () => {
    const lines: string[] = [];
    const ok = await rollbackServer(
      session('web-1', [{ code: 0, stdout: '@@rolledback\n@@done\n' }]),
      {
        ...base,
        log: { info: (l) => lines.push(l) },
      },
    );
    expect(ok).toMatchObject({ ok: true, rolledBack: true });
    expect(lines[0]).toMatch(/^rolled back: current -> releases\/r-old in /);

    const elsewhere = await rollbackServer(
      session('web-1', [{ code: 0, stdout: '@@untouched r-other\n' }]),
      {
        ...base,
        log: { info: (l) => lines.push(l) },
      },
    );
    expect(elsewhere).toMatchObject({ ok: true, rolledBack: false });
    expect(lines).toContain(
      'rollback: current points to r-other, not to this deployment; left alone',
    );

    const failed = await rollbackServer(session('web-1', [{ code: 4, stderr: 'nope' }]), base);
    expect(failed.error).toBe('rollback: the script exited with code 4\noutput:\nnope');
    const lost = await rollbackServer(session('web-1', [new Error('gone')]), base);
    expect(lost.error).toBe('rollback: gone');
    const odd = session('web-1', []);
    odd.exec = async () => {
      throw 7;
    };
    expect((await rollbackServer(odd, base)).error).toBe('rollback: 7');
  });
});

describe('releaseRemoteLock', () => {
  it('released, not ours, no deploy path yet, or a failure', async () => {
    expect(await releaseRemoteLock(session('s', [{ stdout: '@@unlocked\n' }]), 'app', 'd')).toEqual(
      { released: true },
    );
    expect(
      await releaseRemoteLock(session('s', [{ stdout: '@@lock lost x\n' }]), 'app', 'd'),
    ).toEqual({
      released: false,
      heldBy: 'x',
    });
    expect(await releaseRemoteLock(session('s', [{ code: 0 }]), 'app', 'd')).toEqual({
      released: false,
      heldBy: 'none',
    });
    await expect(
      releaseRemoteLock(session('s', [{ code: 1, stderr: ' denied ' }]), 'app', 'd'),
    ).rejects.toThrow('releasing the lock failed: denied');
  });
});

describe('rollout', () => {
  const servers = ['a', 'b', 'c'].map(
    (name) => ({ name, host: 'h', port: 22, user: 'u', host_key: 'k' }) as ServerConfig,
  );
  const log = () => {
    const lines: string[] = [];
    return {
      lines,
      info: (l: string) => lines.push(l),
      group: (n: string, ls: string[]) => lines.push(n, ...ls),
    };
  };
  const ok = (server: string, previousRelease?: string): ServerDeployResult => ({
    server,
    ok: true,
    releaseId: RELEASE,
    switched: true,
    rolledBack: false,
    health: 'passed',
    durationMs: 1,
    steps: [],
    previousRelease,
  });

  it('a server that cannot be reached fails; a throwing deploy is a failure; closing errors are ignored', async () => {
    const l = log();
    const result = await rollout({
      servers,
      deploy: { ...deployConfig(), batch_size: 3, max_failed_servers: 2, parallel: 3 },
      connect: async (server) => {
        if (server.name === 'a') throw new Error('refused');
        if (server.name === 'b') throw 'plain';
        return session(server.name, [], { closeFails: true });
      },
      deployOne: async () => {
        throw new Error('bug');
      },
      rollbackOne: async () => {
        throw new Error('unused');
      },
      log: l,
    });
    expect(result.results.map((r) => [r.server, r.ok, r.error])).toEqual([
      ['a', false, 'connect: refused'],
      ['b', false, 'connect: plain'],
      ['c', false, 'deploy: bug'],
    ]);
    expect(result).toMatchObject({ ok: false, stopped: true, rollbacks: [] });
  });

  it('rollback of earlier servers: no previous release, a lost connection, a throwing rollback', async () => {
    const l = log();
    let connects = 0;
    const result = await rollout({
      servers,
      deploy: { ...deployConfig(), batch_size: 1, max_failed_servers: 0, parallel: 3 },
      connect: async (server) => {
        connects++;
        if (server.name === 'b' && connects > 3) throw new Error('gone for the rollback');
        return session(server.name, []);
      },
      deployOne: async (s) =>
        s.server.name === 'c'
          ? { ...ok('c'), ok: false, switched: false }
          : ok(s.server.name, s.server.name === 'a' ? undefined : 'r-old'),
      rollbackOne: async () => {
        throw new Error('unreachable');
      },
      log: l,
    });
    expect(result.rollbacks.map((r) => [r.server, r.ok, r.error])).toEqual([
      ['a', false, `no previous release to go back to: current stays on ${RELEASE}`],
      ['b', false, 'connect: gone for the rollback'],
    ]);

    const again = await rollout({
      servers: servers.slice(0, 2),
      deploy: { ...deployConfig(), batch_size: 1, max_failed_servers: 0 },
      connect: async (server) => session(server.name, []),
      deployOne: async (s) =>
        s.server.name === 'b' ? { ...ok('b'), ok: false, switched: false } : ok('a', 'r-old'),
      rollbackOne: async () => {
        throw new Error('script broke');
      },
      log: log(),
    });
    expect(again.rollbacks).toEqual([
      expect.objectContaining({ server: 'a', ok: false, error: 'rollback: script broke' }),
    ]);
  });
});
