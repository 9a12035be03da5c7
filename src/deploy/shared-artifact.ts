// One read of the artifact for all the servers of a batch: each server gets its own branch of a
// single file stream (Readable.pipe to several destinations, which waits for the slowest). The
// branches pass the same Buffers on, so memory stays one chunk window, not one per server; at
// 16 servers this is about 50 MiB less than a read stream per server, and 15 fewer file reads.
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';

/** 1 MiB reads: fewer, larger channel writes (measurably faster than the 64 KiB default). */
export const ARTIFACT_CHUNK = 1 << 20;

export interface SharedArtifact {
  /** The branch for one consumer; each name once. */
  branch(name: string): Readable;
  /**
   * Lets the other branches go on without this one (a consumer that will not read, or is done).
   * A branch nobody reads or releases holds every other branch at the window's end.
   */
  release(name: string): void;
}

/**
 * Every consumer must be running at the same time (or be released): the file is read only as
 * fast as the slowest branch takes it.
 */
export function shareArtifact(file: string, names: readonly string[]): SharedArtifact {
  return shareStream(createReadStream(file, { highWaterMark: ARTIFACT_CHUNK }), names);
}

/** shareArtifact for any source (a download on its way); it stops once every branch closed. */
export function shareStream(source: Readable, names: readonly string[]): SharedArtifact {
  const branches = new Map<string, PassThrough>();
  let open = names.length;
  for (const name of names) {
    const branch = new PassThrough({ highWaterMark: ARTIFACT_CHUNK });
    // An error may come before the consumer listens: it reads `errored` instead (deployToServer).
    branch.on('error', () => undefined);
    branches.set(name, branch);
    // A destroyed branch closes, pipe() unpipes it and stops waiting for its drain.
    branch.once('close', () => {
      if (--open === 0) source.destroy();
    });
    source.pipe(branch);
  }
  // pipe() does not pass errors on: a failed read must end every branch with it.
  source.once('error', (error) => {
    for (const branch of branches.values()) branch.destroy(error);
  });
  return {
    branch(name) {
      const branch = branches.get(name);
      if (!branch) throw new Error(`shareArtifact: no branch named ${name}`);
      return branch;
    },
    release(name) {
      branches.get(name)?.destroy();
    },
  };
}

/** A consumer's own read of the whole file (no sharing); errors are read from `errored`. */
export function readArtifact(file: string): Readable {
  return createReadStream(file, { highWaterMark: ARTIFACT_CHUNK }).on('error', () => undefined);
}
