// Runs the bundled CLI as users do. `npm test` builds dist/ first; alone, run `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const FIXTURES = join(ROOT, 'test/fixtures');

function run(args: string[], cwd = FIXTURES) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    all: result.stdout + result.stderr,
  };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
});

describe('deploy-request validate', () => {
  it('prints ok and exits 0 for a valid request', () => {
    const r = run(['validate', 'requests/valid.yml', '--config', 'config/valid.yml']);
    expect(r).toMatchObject({ code: 0, stdout: 'ok requests/valid.yml\n' });
  });

  it('prints file:line:col lines and exits 1 for invalid requests', () => {
    const r = run([
      'validate',
      'requests/valid.yml',
      'requests/invalid.yml',
      'requests/unknown-server.yml',
      '-c',
      'config/valid.yml',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'ok requests/valid.yml',
      'requests/invalid.yml:5:10: `release`: must be a string, got number (1.4); quote it: "1.4"',
      'requests/invalid.yml:6:1: `artifact.sha256`: required field is missing; add e.g. `sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08`',
      'requests/invalid.yml:8:3: `artifact.sha265`: unknown field (did you mean `sha256`?); allowed here: url, sha256, release_asset, path',
      'requests/unknown-server.yml:8:18: `servers[1]`: `web-9` is not a server of environment `staging`; known: web-1, web-2',
    ]);
    expect(r.stderr).toContain('2 of 3 files invalid');
  });

  it('says a file cannot be read, without a stack trace', () => {
    const r = run(['validate', 'requests/missing.yml', '-c', 'config/valid.yml']);
    expect(r).toMatchObject({
      code: 1,
      stdout: 'requests/missing.yml: cannot read: no such file\n',
    });
    expect(r.all).not.toMatch(/\n\s+at /);
  });

  it('refuses an oversized file without reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dr-cli-'));
    try {
      writeFileSync(join(dir, 'big.yml'), `reason: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
      const r = run(['validate', join(dir, 'big.yml'), '-c', join(FIXTURES, 'config/valid.yml')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        'big.yml:1:1: file is too large (2.0 MiB); deploy-request files may be at most 256 KiB',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports problems of the configuration itself', () => {
    const r = run(['validate', 'requests/valid.yml', '--config', 'config/invalid.yml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'config/invalid.yml:15:7: `environments.staging.deploy.batchsize`: unknown field (did you mean `batch_size`?); allowed here: path, keep_releases, parallel, batch_size, max_failed_servers, request_variables, shared_links, before_activate, activate, health_check, rollback_on_failure, transfer, environment_url\n',
    );
  });

  it('says where the default configuration was looked for', () => {
    const r = run(['validate', 'requests/valid.yml']);
    expect(r).toMatchObject({
      code: 1,
      stdout: '.github/deploy-request.yml: cannot read: no such file (pass --config PATH)\n',
    });
  });
});

describe('deploy-request validate without FILES', () => {
  let repo = '';
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'dr-repo-'));
    mkdirSync(join(repo, '.github'));
    mkdirSync(join(repo, 'deploy-requests/team'), { recursive: true });
    mkdirSync(join(repo, 'node_modules/deploy-requests'), { recursive: true });
    cpSync(join(FIXTURES, 'config/valid.yml'), join(repo, '.github/deploy-request.yml'));
    cpSync(join(FIXTURES, 'requests/valid.yml'), join(repo, 'deploy-requests/web.yml'));
    cpSync(
      join(FIXTURES, 'requests/unknown-server.yml'),
      join(repo, 'deploy-requests/team/api.yaml'),
    );
    writeFileSync(join(repo, 'deploy-requests/notes.md'), 'not a request');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('validates every file under the configured request paths', () => {
    const r = run(['validate'], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'deploy-requests/team/api.yaml:8:18: `servers[1]`: `web-9` is not a server of environment `staging`; known: web-1, web-2\n' +
        'ok deploy-requests/web.yml\n',
    );
  });
});

describe('deploy-request plan', () => {
  it('prints stages, servers, batches and checks', () => {
    const r = run(['plan', 'requests/valid.yml', '--config', 'config/valid.yml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Approval stages (in order):\n  1. lead: 1 approval from alice, acme/team-leads\n  2. ops: 2 approvals from acme/ops',
    );
    expect(r.stdout).toContain(
      'Servers (2):\n  web-2  deploy@web-2.internal.example.com:22 via web-1\n  web-1  deploy@203.0.113.10:22',
    );
    expect(r.stdout).toContain('  1. web-2\n  2. web-1');
    expect(r.stdout).toContain('  - port 9090 free');
  });

  it('prints problems instead of a plan for an invalid request', () => {
    const r = run(['plan', 'requests/unknown-server.yml', '--config', 'config/valid.yml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^requests\/unknown-server\.yml:8:18: /);
  });
});

describe('usage', () => {
  it.each([
    [[], 'missing command'],
    [['deploy'], 'unknown command: deploy'],
    [['validate', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['plan'], 'plan takes exactly one FILE'],
    [['plan', 'a.yml', 'b.yml'], 'plan takes exactly one FILE'],
    [['validate', '--config'], "Option '-c, --config <value>' argument missing"],
  ])('%j exits 2 with the usage', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Usage:');
    expect(r.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deploy-request validate [FILES...] [--config PATH]');
    expect(r.stdout).toContain('deploy-request plan FILE [--config PATH]');
  });
});
