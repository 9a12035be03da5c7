// assertSafeTarball when the reader fails for a reason that is not the archive's format: the
// error is passed on as it is (it is not the user's artifact that is wrong). Also symlink targets
// with empty and "." segments.
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../../src/deploy/tar-entries.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/deploy/tar-entries.js')>();
  return {
    ...real,
    listTarGz: vi.fn(async () => {
      throw new Error('EIO: i/o error, read');
    }),
  };
});

const { assertSafeTarball, memberProblem, UnsafeArtifactError } =
  await import('../../../src/deploy/tar-safety.js');

describe('assertSafeTarball', () => {
  it('a read error that is not about the format propagates unchanged', async () => {
    const error = await assertSafeTarball('/any.tar.gz').catch((e: unknown) => e);
    expect(error).toEqual(new Error('EIO: i/o error, read'));
    expect(error).not.toBeInstanceOf(UnsafeArtifactError);
  });
});

describe('memberProblem: symlink targets', () => {
  it('empty and "." segments do not count as levels', () => {
    expect(
      memberProblem({ path: 'a/b/l', type: 'symlink', linkname: './/../x' }, new Set()),
    ).toBeUndefined();
    expect(memberProblem({ path: 'l', type: 'symlink', linkname: './/../x' }, new Set())).toMatch(
      /outside/,
    );
  });
});
