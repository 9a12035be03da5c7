// The CLI in-process (src/cli/main.ts, src/cli.ts): exit codes and the exact lines users see.
// test/e2e/cli.e2e.test.ts runs the bundle the same way users do; these reach every branch.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, runCli, type Io } from '../../../src/cli/main.js';

// Paths that readdirSync / readFileSync refuse (EACCES), as an unreadable directory or file would
// for a non-root user (the tests may run as root, where permissions cannot make one).
const unlistable = vi.hoisted(() => new Set<string>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, options: never) => {
    if (unlistable.has(String(path)))
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), {
        code: 'EACCES',
      });
    return fs.readdirSync(path, options);
  }) as typeof fs.readdirSync;
  const readFileSync = ((path: string, options: never) => {
    if (unlistable.has(String(path)))
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
        code: 'EACCES',
      });
    return fs.readFileSync(path, options);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readdirSync, readFileSync }, readdirSync, readFileSync };
});

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));
const CONFIG = join(FIXTURES, 'config/valid.yml');
const VALID = join(FIXTURES, 'requests/valid.yml');

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

let dir = '';
const cwd = process.cwd();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dr-unit-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => process.chdir(cwd));

describe('validate', () => {
  it('ok for a valid request, exit 0', () => {
    const o = io();
    expect(main(['validate', VALID, '-c', CONFIG], o)).toBe(0);
    expect(o.stdout).toEqual([`ok ${VALID}`]);
    expect(o.stderr).toEqual([]);
  });

  it('problems as file:line:col lines, a count on stderr, exit 1', () => {
    const o = io();
    const files = [VALID, join(FIXTURES, 'requests/invalid.yml')];
    expect(main(['validate', ...files, '--config', CONFIG], o)).toBe(1);
    expect(o.stdout[0]).toBe(`ok ${VALID}`);
    expect(o.stdout[1]).toMatch(/invalid\.yml:5:10: `release`: must be a string/);
    expect(o.stderr).toEqual(['1 of 2 files invalid']);
  });

  it('one unreadable file: singular count; a directory and a missing file say so', () => {
    const o = io();
    expect(main(['validate', join(dir, 'missing.yml'), '-c', CONFIG], o)).toBe(1);
    expect(o.stdout).toEqual([`${join(dir, 'missing.yml')}: cannot read: no such file`]);
    expect(o.stderr).toEqual(['1 of 1 file invalid']);
    const d = io();
    expect(main(['validate', dir, '-c', CONFIG], d)).toBe(1);
    expect(d.stdout).toEqual([`${dir}: cannot read: is a directory`]);
  });

  it('an unreadable file: permission denied', () => {
    const file = join(dir, 'secret.yml');
    writeFileSync(file, 'version: 1\n');
    unlistable.add(file);
    try {
      const o = io();
      expect(main(['validate', file, '-c', CONFIG], o)).toBe(1);
      expect(o.stdout).toEqual([`${file}: cannot read: permission denied`]);
    } finally {
      unlistable.clear();
    }
  });

  it('other read errors give the system message', () => {
    const loop = join(dir, 'loop.yml');
    symlinkSync(loop, loop);
    const o = io();
    expect(main(['validate', loop, '-c', CONFIG], o)).toBe(1);
    expect(o.stdout[0]).toMatch(/^.*loop\.yml: cannot read: ELOOP/);
  });

  it('an oversized file is refused before reading', () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, `reason: "${'x'.repeat(300 * 1024)}"\n`);
    const o = io();
    expect(main(['validate', big, '-c', CONFIG], o)).toBe(1);
    expect(o.stdout[0]).toMatch(
      /big\.yml:1:1: file is too large \(301 KiB\); deploy-request files may be at most 256 KiB$/,
    );
  });

  it('a missing default config asks for --config; a missing given one does not', () => {
    process.chdir(dir);
    const o = io();
    expect(main(['validate', VALID], o)).toBe(1);
    expect(o.stdout).toEqual([
      '.github/deploy-request.yml: cannot read: no such file (pass --config PATH)',
    ]);
    const given = io();
    expect(main(['validate', VALID, '-c', 'nope.yml'], given)).toBe(1);
    expect(given.stdout).toEqual(['nope.yml: cannot read: no such file']);
  });

  it('an invalid config prints its problems', () => {
    const o = io();
    expect(main(['validate', VALID, '-c', join(FIXTURES, 'config/invalid.yml')], o)).toBe(1);
    expect(o.stdout[0]).toMatch(/invalid\.yml:15:7: `environments\.staging\.deploy\.batchsize`/);
  });

  it('without FILES: every request under the configured paths, skipping node_modules and .git', () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    mkdirSync(join(repo, '.github'));
    mkdirSync(join(repo, 'deploy-requests/team'), { recursive: true });
    mkdirSync(join(repo, 'node_modules/deploy-requests'), { recursive: true });
    mkdirSync(join(repo, '.git/deploy-requests'), { recursive: true });
    cpSync(CONFIG, join(repo, '.github/deploy-request.yml'));
    cpSync(VALID, join(repo, 'deploy-requests/web.yml'));
    cpSync(
      join(FIXTURES, 'requests/unknown-server.yml'),
      join(repo, 'deploy-requests/team/a.yaml'),
    );
    cpSync(VALID, join(repo, 'node_modules/deploy-requests/x.yml'));
    cpSync(VALID, join(repo, '.git/deploy-requests/y.yml'));
    symlinkSync('web.yml', join(repo, 'deploy-requests/link.yml'));
    process.chdir(repo);
    const o = io();
    expect(main(['validate'], o)).toBe(1);
    expect(o.stdout).toEqual([
      expect.stringMatching(/^deploy-requests\/team\/a\.yaml:8:18: `servers\[1\]`/),
      'ok deploy-requests/web.yml',
    ]);
  });

  it('without FILES and none found: says where it looked, exit 0', () => {
    const repo = mkdtempSync(join(dir, 'empty-'));
    mkdirSync(join(repo, '.github'));
    cpSync(CONFIG, join(repo, '.github/deploy-request.yml'));
    process.chdir(repo);
    const o = io();
    expect(main(['validate'], o)).toBe(0);
    expect(o.stderr).toEqual([
      'no request files found (looked for deploy-requests/**/*.yml, deploy-requests/**/*.yaml)',
    ]);
  });

  it('a directory that cannot be listed while walking is skipped', () => {
    const repo = mkdtempSync(join(dir, 'walk-'));
    mkdirSync(join(repo, '.github'));
    mkdirSync(join(repo, 'deploy-requests/locked'), { recursive: true });
    cpSync(CONFIG, join(repo, '.github/deploy-request.yml'));
    cpSync(VALID, join(repo, 'deploy-requests/web.yml'));
    cpSync(VALID, join(repo, 'deploy-requests/locked/hidden.yml'));
    process.chdir(repo);
    unlistable.add(join(repo, 'deploy-requests/locked'));
    try {
      const o = io();
      expect(main(['validate'], o)).toBe(0);
      expect(o.stdout).toEqual(['ok deploy-requests/web.yml']);
    } finally {
      unlistable.clear();
    }
  });
});

describe('plan', () => {
  it('prints the plan, exit 0', () => {
    const o = io();
    expect(main(['plan', VALID, '-c', CONFIG], o)).toBe(0);
    expect(o.stdout).toHaveLength(1);
    expect(o.stdout[0]).toMatch(/^Deploy web 1\.4\.2 to staging\n/);
    expect(o.stdout[0]).not.toMatch(/\n$/);
  });

  it('config problems, an unreadable file, an invalid request: exit 1', () => {
    const bad = io();
    expect(main(['plan', VALID, '-c', join(FIXTURES, 'config/invalid.yml')], bad)).toBe(1);
    const missing = io();
    expect(main(['plan', join(dir, 'none.yml'), '-c', CONFIG], missing)).toBe(1);
    expect(missing.stdout).toEqual([`${join(dir, 'none.yml')}: cannot read: no such file`]);
    const invalid = io();
    expect(main(['plan', join(FIXTURES, 'requests/invalid.yml'), '-c', CONFIG], invalid)).toBe(1);
    expect(invalid.stdout.length).toBeGreaterThan(0);
  });
});

describe('usage and errors', () => {
  it.each([
    [[], 'missing command'],
    [['deploy'], 'unknown command: deploy'],
    [['plan'], 'plan takes exactly one FILE'],
    [['validate', '--nope'], "Unknown option '--nope'"],
  ])('%j: exit 2 with the usage on stderr', (args, message) => {
    const o = io();
    expect(main(args, o)).toBe(2);
    expect(o.stderr[0]).toMatch(
      new RegExp(`^deploy-request: ${message.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}`),
    );
    expect(o.stderr[0]).toContain('Usage:');
    expect(o.stdout).toEqual([]);
  });

  it('--help prints the usage, exit 0', () => {
    const o = io();
    expect(main(['-h'], o)).toBe(0);
    expect(o.stdout[0]).toMatch(/^Usage:\n {2}deploy-request validate/);
  });

  it('runCli turns a bug of ours into exit 3 with one line; DEBUG adds the stack', () => {
    const broken: Io = {
      out: () => {
        throw new Error('stdout closed');
      },
      err: () => {},
    };
    const errors: string[] = [];
    const o = { ...broken, err: (l: string) => errors.push(l) };
    expect(runCli(['--help'], o, {})).toBe(3);
    expect(errors).toEqual(['deploy-request: unexpected error: stdout closed']);
    errors.length = 0;
    expect(runCli(['--help'], o, { DEBUG: '1' })).toBe(3);
    expect(errors[1]).toMatch(/^Error: stdout closed\n\s+at /);
  });

  it('runCli reports a thrown non-Error by its string', () => {
    const errors: string[] = [];
    const o: Io = {
      out: () => {
        throw 'EPIPE';
      },
      err: (l) => errors.push(l),
    };
    expect(runCli(['--help'], o, { DEBUG: '1' })).toBe(3);
    expect(errors).toEqual(['deploy-request: unexpected error: EPIPE', '']);
  });

  it('runCli passes main’s exit code through', () => {
    const o = io();
    expect(runCli(['validate', VALID, '-c', CONFIG], o, {})).toBe(0);
  });
});

describe('src/cli.ts (the entry)', () => {
  it('runs the process arguments and sets the exit code', async () => {
    const argv = process.argv;
    const exitCode = process.exitCode;
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
    const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.argv = [argv[0]!, 'deploy-request', 'validate', join(dir, 'gone.yml'), '-c', CONFIG];
      await import('../../../src/cli.js');
      expect(process.exitCode).toBe(1);
      expect(out).toEqual([`${join(dir, 'gone.yml')}: cannot read: no such file\n`]);
      expect(errWrite).toHaveBeenCalledWith('1 of 1 file invalid\n');
    } finally {
      process.argv = argv;
      process.exitCode = exitCode;
      write.mockRestore();
      errWrite.mockRestore();
    }
  });
});
