// One server's deployment against a real sshd: unpack, switch, activate, verify, roll back, prune.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployToServer } from '../../../src/deploy/deploy-server.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import type { ServerSession } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers, type TestServer } from '../../support/sshd.js';
import {
  activations,
  collectLog,
  deployConfig,
  deployInput,
  LOG_ACTIVATION,
  makeTarball,
  remote,
  run,
} from './support.js';

let env: SshServers;
let server: TestServer;
let session: ServerSession;

beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'dep' });
  server = env.servers[0]!;
  const connector = createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] });
  session = await connector.connect(server.serverConfig());
});
afterAll(async () => {
  await session?.close();
  await env?.stop();
});

describe('deployToServer', () => {
  it('unpacks, links shared entries, switches current, activates with the env and finishes the ledger entry as deployed', async () => {
    const deploy = deployConfig({
      path: 'happy',
      shared_links: ['app.env', 'storage/'],
      before_activate: ['printf "%s" "$RELEASE" > before.txt'],
      activate: `${LOG_ACTIVATION}; printf "%s|%s|%s" "$APPLICATION" "$FEATURE" "$PWD" > "$HOME/env.txt"`,
      health_check: { run: 'test -f index.html', retries: 3, interval_s: 0, timeout_s: 30 },
    });
    const files = remote(server.home, 'happy');
    await run('sh', [
      '-c',
      `mkdir -p "$0/shared/storage" && echo PORT=1 > "$0/shared/app.env"`,
      files.base,
    ]);
    await run('chown', ['-R', `${server.user}:`, files.base]);
    const artifact = await makeTarball({ 'index.html': '<h1>v1</h1>', 'bin/run': '#!/bin/sh\n' });
    const log = collectLog();
    const input = deployInput(artifact, deploy, '1.0.0', 1, {
      env: { RELEASE: '1.0.0', APPLICATION: 'web', FEATURE: 'on' },
      log,
    });
    const result = await deployToServer(session, input);

    expect(result).toMatchObject({
      server: server.name,
      ok: true,
      releaseId: input.releaseId,
      switched: true,
      rolledBack: false,
      health: 'passed',
    });
    expect(result.previousRelease).toBeUndefined();
    expect(result.steps.map((s) => s.name)).toEqual([
      'lock',
      'check',
      'upload',
      'verify',
      'unpack',
      'link',
      'metadata',
      'before_activate',
      'switch',
      'activate',
      'health',
      'prune',
    ]);
    expect(await files.current()).toBe(`releases/${input.releaseId}`);
    expect(await files.read('current/index.html')).toBe('<h1>v1</h1>');
    expect(await files.read('current/before.txt')).toBe('1.0.0');
    expect(await files.read('current/app.env')).toBe('PORT=1\n');
    // The ledger entry: one line, finished by activate with the server's clock.
    const entry = await files.read('current/.deploy-request.json');
    expect(entry.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(entry)).toEqual({
      ...input.metadata,
      release_id: input.releaseId,
      server: server.name,
      result: 'deployed',
      bad: false,
      bad_reason: null,
      finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const releaseDir = `${files.base}/releases/${input.releaseId}`;
    expect(await files.readHome('env.txt')).toBe(`web|on|${releaseDir}`);
    expect(await activations(server.home)).toEqual([input.releaseId]);
    expect(await files.entries()).not.toContain('.deploy-request.lock');
    expect(log.lines.join('\n')).toMatch(/upload: .* SHA-256 verified on the server \(openssl\)/);
  });

  it('refuses an artifact whose SHA-256 differs on the server: nothing switched, nothing left', async () => {
    const deploy = deployConfig({ path: 'mismatch' });
    const files = remote(server.home, 'mismatch');
    const v1 = await makeTarball({ 'v.txt': '1' });
    const first = deployInput(v1, deploy, 'v1', 1);
    expect((await deployToServer(session, first)).ok).toBe(true);

    const v2 = await makeTarball({ 'v.txt': '2' });
    const claimed = 'f'.repeat(64);
    const second = deployInput(v2, deploy, 'v2', 2, { sha256: claimed });
    const result = await deployToServer(session, second);
    expect(result).toMatchObject({ ok: false, switched: false, rolledBack: false });
    expect(result.error).toContain(
      `verify: SHA-256 on the server is ${v2.sha256}, expected ${claimed}`,
    );
    expect(await files.current()).toBe(`releases/${first.releaseId}`);
    expect(await files.releases()).toEqual([first.releaseId]);
    expect(await files.entries()).toEqual(['current', 'releases', 'shared']);
  });

  it('clears what a killed run left behind (partial upload, half-unpacked stage) once it holds the lock', async () => {
    const deploy = deployConfig({ path: 'leftovers' });
    const files = remote(server.home, 'leftovers');
    const first = deployInput(await makeTarball({ 'v.txt': '1' }), deploy, 'l1', 1);
    expect((await deployToServer(session, first)).ok).toBe(true);
    const base = path.join(server.home, 'leftovers');
    const killed = '20261125T205959Z-0123456789ab';
    await writeFile(path.join(base, `.deploy-request-upload-${killed}.tar.gz`), 'partial');
    await mkdir(path.join(base, 'releases', `.${killed}.partial`, 'bin'), { recursive: true });
    execFileSync('chown', ['-R', `${server.user}:`, base]); // as the killed run would have left them
    const second = deployInput(await makeTarball({ 'v.txt': '2' }), deploy, 'l2', 2);
    expect((await deployToServer(session, second)).ok).toBe(true);
    expect(await files.entries()).toEqual(['current', 'releases', 'shared']);
    expect(await readdir(path.join(base, 'releases'))).toEqual([first.releaseId, second.releaseId]);
  });

  it('rolls back to the previous release when the health check fails, re-runs activate there and marks the failed release bad', async () => {
    const deploy = deployConfig({
      path: 'health',
      activate: LOG_ACTIVATION,
      health_check: { run: 'test -f healthy', retries: 3, interval_s: 0, timeout_s: 30 },
    });
    const files = remote(server.home, 'health');
    await run('rm', ['-f', `${server.home}/activations.log`]);
    const good = deployInput(await makeTarball({ healthy: 'yes' }), deploy, 'good', 1);
    expect((await deployToServer(session, good)).ok).toBe(true);

    const bad = deployInput(await makeTarball({ 'other.txt': 'no health' }), deploy, 'bad', 2);
    const result = await deployToServer(session, bad);
    expect(result).toMatchObject({
      ok: false,
      switched: true,
      rolledBack: true,
      health: 'failed',
      previousRelease: good.releaseId,
    });
    expect(result.error).toMatch(
      new RegExp(
        `^health: \`test -f healthy\` failed 3 attempt\\(s\\).*rolled back to ${good.releaseId} and activate re-ran there`,
      ),
    );
    expect(result.steps.map((s) => s.name)).toContain('rollback');
    expect(await files.current()).toBe(`releases/${good.releaseId}`);
    // The failed release's entry says so, marked bad: no rollback offers it.
    expect(
      JSON.parse(await files.read(`releases/${bad.releaseId}/.deploy-request.json`)),
    ).toMatchObject({
      release: 'bad',
      result: 'failed',
      bad: true,
      bad_reason: 'failed its health check',
      finished_at: expect.stringMatching(/Z$/),
    });
    expect(
      JSON.parse(await files.read(`releases/${good.releaseId}/.deploy-request.json`)),
    ).toMatchObject({ result: 'deployed', bad: false });
    expect(await activations(server.home)).toEqual([
      good.releaseId,
      bad.releaseId,
      `${good.releaseId} <- ${bad.releaseId}`,
    ]);
    expect(await files.entries()).not.toContain('.deploy-request.lock');
  });

  it('prunes to keep_releases, keeping current and the rollback target', async () => {
    const deploy = deployConfig({ path: '/tmp/unused', keep_releases: 1 });
    const base = `${server.home}/prune-abs`; // an absolute deploy.path
    const files = remote(server.home, base);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const input = deployInput(
        await makeTarball({ n: String(i) }),
        { ...deploy, path: base },
        `p${i}`,
        i,
      );
      expect((await deployToServer(session, input)).ok).toBe(true);
      ids.push(input.releaseId);
    }
    expect(await files.releases()).toEqual([ids[2], ids[3]]);
    expect(await files.current()).toBe(`releases/${ids[3]}`);

    // An older rollback target survives even when newer releases fill keep_releases.
    const failing = {
      ...deploy,
      path: base,
      keep_releases: 2,
      health_check: { run: 'false', retries: 1, interval_s: 0, timeout_s: 30 },
    };
    const fail = deployInput(await makeTarball({ n: '5' }), failing, 'p5', 5);
    expect((await deployToServer(session, fail)).rolledBack).toBe(true);
    const next = deployInput(
      await makeTarball({ n: '6' }),
      { ...deploy, path: base, keep_releases: 2 },
      'p6',
      6,
    );
    const result = await deployToServer(session, next);
    expect(result.previousRelease).toBe(ids[3]);
    expect(await files.releases()).toEqual([ids[3], fail.releaseId, next.releaseId]);
  });

  it('refuses a symlink escaping the release (also through a link chain) before the switch', async () => {
    const deploy = deployConfig({ path: 'links' });
    const files = remote(server.home, 'links');
    const ok = deployInput(await makeTarball({ 'a/x': '1' }, { 'a/inside': 'x' }), deploy, 'l1', 1);
    expect((await deployToServer(session, ok)).ok).toBe(true);

    for (const [label, links] of [
      ['abs', { evil: '/etc' }],
      ['chain', { 'sub/p': '..', 'sub/l': 'p/../..' }],
    ] as const) {
      const input = deployInput(await makeTarball({ 'sub/f': 'x' }, links), deploy, label, 2);
      const result = await deployToServer(session, input);
      expect(result).toMatchObject({ ok: false, switched: false });
      expect(result.error).toMatch(
        /^unpack: the artifact has symlinks pointing outside the release, refused: (evil|sub\/l)/,
      );
      expect(await files.current()).toBe(`releases/${ok.releaseId}`);
      expect(await files.releases()).toEqual([ok.releaseId]);
    }
  });

  it('keeps request values inert in every remote shell and round-trips them exactly', async () => {
    const marker = `/tmp/pwned-${process.pid}-${Date.now()}`;
    const values = {
      SEMI: `"; touch ${marker} #`,
      SUBST: `$(touch ${marker})`,
      TICKS: `\`touch ${marker}\``,
      QUOTES: `'; touch ${marker}; echo '`,
      LINES: `line 1\n; touch ${marker}\n$HOME \\ end`,
    };
    const names = Object.keys(values);
    const deploy = deployConfig({
      path: `inj ect'$(touch ${marker})'`,
      shared_links: ["odd 'name"],
      before_activate: names.map((name) => `printf '%s' "$${name}" > ${name}.txt`),
      activate: names.map((name) => `printf '%s' "$${name}" > act-${name}.txt`).join('; '),
    });
    const files = remote(server.home, deploy.path);
    await run('sh', [
      '-c',
      'mkdir -p "$0/shared" && touch "$0/shared/$1"',
      files.base,
      "odd 'name",
    ]);
    await run('chown', ['-R', `${server.user}:`, files.base]);
    const input = deployInput(await makeTarball({ f: 'x' }), deploy, 'inj', 1, {
      env: { ...values },
    });
    input.metadata.application = `web'; touch ${marker} #`;
    const result = await deployToServer(session, input);
    expect(result.error).toBeUndefined();
    for (const [name, value] of Object.entries(values)) {
      expect(await files.read(`current/${name}.txt`)).toBe(value);
      expect(await files.read(`current/act-${name}.txt`)).toBe(value);
    }
    expect(JSON.parse(await files.read('current/.deploy-request.json')).application).toBe(
      input.metadata.application,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
