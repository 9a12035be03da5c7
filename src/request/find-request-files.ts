// Which files of a pull request are deployment requests, by the configuration's glob patterns.
import { Minimatch } from 'minimatch';

export interface ChangedFile {
  filename: string;
  /** As the GitHub API reports it: added, modified, removed, renamed, ... */
  status: string;
}

/**
 * The files matching any pattern (minimatch, dot files included), in input order, whatever their
 * status: the caller decides what an added, modified or removed request means.
 */
export function selectRequestFiles<T extends ChangedFile>(
  files: readonly T[],
  patterns: readonly string[],
): T[] {
  const matchers = patterns.map((pattern) => new Minimatch(pattern, { dot: true }));
  return files.filter((file) => matchers.some((m) => m.match(file.filename)));
}
