// Which archive members may be unpacked into a release: nothing may land or point outside it.
// (The server re-checks every unpacked symlink with readlink, which also catches link chains.)
import { listTarGz, TarFormatError, type TarEntry } from './tar-entries.js';

export class UnsafeArtifactError extends Error {
  override name = 'UnsafeArtifactError';
}

/** "./a//b/" -> ["a","b"]; undefined when absolute or climbing with "..". */
function components(member: string): string[] | undefined {
  if (member.startsWith('/')) return undefined;
  const parts = member.split('/').filter((part) => part !== '' && part !== '.');
  return parts.includes('..') ? undefined : parts;
}

/** Resolves a relative symlink target lexically from the link's directory; false if it leaves. */
function staysInside(linkParts: string[], target: string): boolean {
  if (target === '' || target.startsWith('/')) return false;
  const depth = [...linkParts.slice(0, -1)];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (depth.length === 0) return false;
      depth.pop();
    } else depth.push(part);
  }
  return true;
}

const show = (value: string) => JSON.stringify(value);

/** Problems with one member, given the symlinks seen earlier in the archive. */
export function memberProblem(entry: TarEntry, symlinks: Set<string>): string | undefined {
  const parts = components(entry.path);
  if (!parts) return `${show(entry.path)} has an absolute or ".." path`;
  if (parts.length === 0) return undefined; // "./": the release directory itself
  const name = show(parts.join('/'));
  for (let i = 1; i < parts.length; i++) {
    const through = parts.slice(0, i).join('/');
    if (symlinks.has(through)) return `${name} is written through the symlink ${show(through)}`;
  }
  switch (entry.type) {
    case 'device':
      return `${name} is a device file`;
    case 'symlink':
      return staysInside(parts, entry.linkname)
        ? undefined
        : `${name} is a symlink to ${show(entry.linkname)}, outside the release`;
    case 'hardlink':
      return components(entry.linkname)?.length
        ? undefined
        : `${name} is a hard link to ${show(entry.linkname)}, outside the release`;
    default:
      return undefined;
  }
}

/** Every problem of an entry list (archive order matters for write-through symlinks). */
export function archiveProblems(entries: TarEntry[]): string[] {
  const symlinks = new Set<string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const problem = memberProblem(entry, symlinks);
    if (problem) problems.push(problem);
    const parts = components(entry.path);
    if (entry.type === 'symlink' && parts?.length) symlinks.add(parts.join('/'));
  }
  return problems;
}

/** Refuses (UnsafeArtifactError) a file that is not a .tar.gz or has a member escaping the release. */
export async function assertSafeTarball(file: string): Promise<{ entries: number }> {
  let entries: TarEntry[];
  try {
    entries = await listTarGz(file);
  } catch (error) {
    if (error instanceof TarFormatError) {
      throw new UnsafeArtifactError(`the artifact is not a .tar.gz: ${error.message}`);
    }
    throw error;
  }
  const problems = archiveProblems(entries);
  if (problems.length > 0) {
    const listed = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new UnsafeArtifactError(
      `the artifact is refused: it would write outside the release directory: ${listed}${more}`,
    );
  }
  return { entries: entries.length };
}
