// Which archive members may be unpacked into a release: nothing may land or point outside it.
// (The server re-checks every unpacked symlink with readlink, which also catches link chains.)
import { createGunzip } from 'node:zlib';
import { READ_CHUNK } from './hash-stream.js';
import { listTarGz, TarFormatError, TarLister, type TarEntry } from './tar-entries.js';

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

/** Refuses (UnsafeArtifactError) an entry list with a member escaping the release. */
export function assertSafeEntries(entries: TarEntry[]): { entries: number } {
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

function notTarGz(error: TarFormatError): UnsafeArtifactError {
  return new UnsafeArtifactError(`the artifact is not a .tar.gz: ${error.message}`);
}

/** Refuses (UnsafeArtifactError) a file that is not a .tar.gz or has a member escaping the release. */
export async function assertSafeTarball(file: string): Promise<{ entries: number }> {
  let entries: TarEntry[];
  try {
    entries = await listTarGz(file);
  } catch (error) {
    if (error instanceof TarFormatError) throw notTarGz(error);
    throw error;
  }
  return assertSafeEntries(entries);
}

/**
 * The same check on bytes as they pass (a download on its way to the servers): write() each
 * chunk of the .tar.gz, then verdict() rejects as assertSafeTarball would.
 */
export class TarballCheck {
  private readonly lister = new TarLister();
  private readonly gunzip = createGunzip({ chunkSize: READ_CHUNK });
  /** The lister throws only TarFormatError (a malformed header); so does a failing inflate. */
  private failure: TarFormatError | undefined;
  private readonly done: Promise<void>;

  constructor() {
    this.gunzip.on('data', (chunk: Buffer) => {
      if (this.failure || this.lister.ended) return;
      try {
        this.lister.push(chunk);
      } catch (error) {
        this.failure = error as TarFormatError; // TarLister.push throws nothing else
      }
    });
    this.done = new Promise((resolve) => {
      this.gunzip.once('end', resolve);
      this.gunzip.once('close', resolve);
      this.gunzip.once('error', (error) => {
        // After the end-of-archive marker the rest is padding: listTarGz stops reading there too.
        if (!this.lister.ended) {
          this.failure ??= new TarFormatError(
            `not a gzip-compressed tar archive (${error.message})`,
          );
        }
        resolve();
      });
    });
  }

  /** Calls next once the inflater can take more (its backpressure paces the caller). */
  write(chunk: Buffer, next: () => void): void {
    if (this.failure || this.lister.ended || this.gunzip.destroyed || this.gunzip.write(chunk)) {
      next();
    } else this.gunzip.once('drain', next);
  }

  /** Stops inflating (the bytes stopped coming). */
  abort(): void {
    this.gunzip.destroy();
  }

  async verdict(): Promise<void> {
    if (!this.gunzip.destroyed) this.gunzip.end();
    await this.done;
    if (this.failure) throw notTarGz(this.failure);
    try {
      assertSafeEntries(this.lister.finish());
    } catch (error) {
      if (error instanceof TarFormatError) throw notTarGz(error);
      throw error;
    }
  }
}
