// The runner-side look into artifacts: members are listed exactly, unsafe ones are refused.
import { describe, expect, it } from 'vitest';
import { listTarGz } from '../../../src/deploy/tar-entries.js';
import {
  archiveProblems,
  assertSafeTarball,
  memberProblem,
} from '../../../src/deploy/tar-safety.js';
import type { TarEntry } from '../../../src/deploy/tar-entries.js';
import { makeTarball, run } from './support.js';
import { writeFile } from 'node:fs/promises';

const file = (path: string): TarEntry => ({ path, type: 'file', linkname: '' });
const link = (path: string, linkname: string): TarEntry => ({ path, type: 'symlink', linkname });

describe('listTarGz', () => {
  it('lists files, directories, symlinks and long names (GNU and pax formats)', async () => {
    const long = `${'d'.repeat(80)}/${'f'.repeat(90)}.txt`;
    for (const format of ['gnu', 'pax', 'ustar']) {
      const names = format === 'ustar' ? { 'a/b.txt': '1' } : { 'a/b.txt': '1', [long]: '2' };
      const artifact = await makeTarball(names, { 'a/l': 'b.txt' }, [`--format=${format}`]);
      const entries = await listTarGz(artifact.file);
      const byPath = new Map(
        entries.map((e) => [e.path.replace(/^\.\//, '').replace(/\/$/, ''), e]),
      );
      expect(byPath.get('a/b.txt')?.type).toBe('file');
      expect(byPath.get('a')?.type).toBe('directory');
      expect(byPath.get('a/l')).toMatchObject({ type: 'symlink', linkname: 'b.txt' });
      if (format !== 'ustar') expect(byPath.get(long)?.type).toBe('file');
    }
  });

  it('refuses what is not a .tar.gz', async () => {
    const { file: tgz } = await makeTarball({ a: '1' });
    const plain = `${tgz}.txt`;
    await writeFile(plain, 'hello');
    await expect(assertSafeTarball(plain)).rejects.toThrow(
      /not a \.tar\.gz: not a gzip-compressed tar/,
    );
    const gzNotTar = `${tgz}.gz`;
    await run('sh', ['-c', 'head -c 2000 /dev/urandom | gzip > "$0"', gzNotTar]);
    await expect(assertSafeTarball(gzNotTar)).rejects.toThrow(/bad header checksum|truncated/);
  });
});

describe('member rules', () => {
  it.each([
    [file('a/b.txt'), undefined],
    [file('./a/./b'), undefined],
    [file('/etc/passwd'), /absolute or "\.\." path/],
    [file('../x'), /absolute or "\.\." path/],
    [file('a/../../x'), /absolute or "\.\." path/],
    [link('a/l', '../b'), undefined],
    [link('a/l', '../../b'), /symlink to "\.\.\/\.\.\/b", outside the release/],
    [link('l', '/etc'), /symlink to "\/etc", outside/],
    [link('l', ''), /outside/],
    [{ path: 'h', type: 'hardlink', linkname: '/etc/shadow' } as TarEntry, /hard link/],
    [{ path: 'h', type: 'hardlink', linkname: 'a/b' } as TarEntry, undefined],
    [{ path: 'dev', type: 'device', linkname: '' } as TarEntry, /device file/],
  ])('%j -> %s', (entry, expected) => {
    const problem = memberProblem(entry, new Set());
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });

  it('refuses members written through a symlink of the same archive', () => {
    expect(archiveProblems([link('out', 'sub'), file('out/x')])).toEqual([
      '"out/x" is written through the symlink "out"',
    ]);
  });

  it('refuses a real archive with a symlink leaving the release, naming it', async () => {
    const artifact = await makeTarball({ ok: '1' }, { 'conf/evil': '/etc/passwd', up: '../..' });
    const error = await assertSafeTarball(artifact.file).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /^UnsafeArtifactError: the artifact is refused: it would write outside/,
    );
    expect(String(error)).toContain(
      '"conf/evil" is a symlink to "/etc/passwd", outside the release',
    );
    expect(String(error)).toContain('"up" is a symlink to "../..", outside the release');
  });

  it('refuses absolute and ".." member names in a real archive', async () => {
    const artifact = await makeTarball({ 'x/y': '1' }, {}, [
      '--transform',
      's,^\\./x/y$,../../y,',
      '-P',
    ]);
    await expect(assertSafeTarball(artifact.file)).rejects.toThrow(
      /"\.\.\/\.\.\/y" has an absolute or "\.\." path/,
    );
  });
});
