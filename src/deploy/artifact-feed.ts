// The artifact as the rollout takes it: a file on the runner, or a download still under way whose
// bytes go to the first batch's servers as they arrive (and to a spool file for later batches).
// Streamed bytes are hashed, counted and checked for unsafe members on the runner as they pass;
// the last chunk is held back until all of that passed, so a server whose bytes were wrong or
// unsafe never has the full artifact: its deploy script refuses it on size or SHA-256 before
// unpacking (prepare-script.ts verifies the request's sha256 itself in any case).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import type { ArtifactSource } from '../request/types.js';
import {
  ArtifactError,
  compare,
  expectedHash,
  openReleaseAsset,
  openUrl,
  prepareArtifact,
  tempFile,
  type OpenedSource,
  type PrepareArtifactOptions,
  type PreparedArtifact,
} from './artifact.js';
import { formatBytes } from './hash-stream.js';
import { ARTIFACT_CHUNK, shareStream, type SharedArtifact } from './shared-artifact.js';
import { TarballCheck } from './tar-safety.js';

/** Below this size the download is short: it completes (and is verified) before any server is touched. */
export const DEFAULT_STREAM_FROM_BYTES = 16 * 1024 ** 2;

export interface ArtifactFeed extends PreparedArtifact {
  /** True while the bytes are still to arrive: the first batch should take them via stream(). */
  streaming: boolean;
  /**
   * Starts the download with one branch per named server (all must read at once, or be released);
   * undefined once started or when the file is already complete. Names may be empty.
   */
  stream(names: readonly string[]): SharedArtifact | undefined;
  /** Resolves once `file` holds the verified artifact; rejects with ArtifactError (never unhandled). */
  ready(): Promise<void>;
  /** Stops a download still running (the run is ending). */
  abort(): void;
}

export interface ArtifactFeedOptions extends PrepareArtifactOptions {
  /** Artifacts announced at least this big stream to the servers (default 16 MiB). */
  streamFromBytes?: number;
}

/** A complete, verified file: nothing to stream. */
function fileFeed(prepared: PreparedArtifact): ArtifactFeed {
  return {
    ...prepared,
    streaming: false,
    stream: () => undefined,
    ready: () => Promise.resolve(),
    abort: () => undefined,
  };
}

/** Network chunks are small (16–64 KiB); larger channel writes are measurably cheaper. */
const GATHER = 256 * 1024;

/**
 * Passes the bytes on, hashing, counting and listing them; holds the last chunk back until the
 * end proved them to be the request's (then it follows) or not (then the stream fails with the
 * reason, and every server's channel is cut short of the full size).
 */
class VerifyingGate extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private readonly tar = new TarballCheck();
  /** The last full block: it follows once the whole artifact proved right. */
  private held: Buffer | undefined;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

  constructor(
    private readonly opened: OpenedSource & { size: number },
    private readonly expected: string,
    private readonly opts: ArtifactFeedOptions,
  ) {
    super({ highWaterMark: ARTIFACT_CHUNK });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // The announced size was checked against the limit when the download opened.
    this.size += chunk.length;
    if (this.size > this.opened.size) return done(this.sizeError());
    this.hash.update(chunk);
    this.gathered.push(chunk);
    this.gatheredBytes += chunk.length;
    if (this.gatheredBytes >= GATHER) {
      if (this.held) this.push(this.held);
      this.held = this.block();
    }
    this.tar.write(chunk, () => done());
  }

  private block(): Buffer {
    const block = Buffer.concat(this.gathered, this.gatheredBytes);
    this.gathered = [];
    this.gatheredBytes = 0;
    return block;
  }

  override _flush(done: TransformCallback): void {
    this.verdict().then(
      () => {
        if (this.held) this.push(this.held);
        if (this.gatheredBytes > 0) this.push(this.block());
        done();
      },
      (error: unknown) => done(error as Error),
    );
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.tar.abort();
    done(error);
  }

  private sizeError(): ArtifactError {
    return new ArtifactError(
      this.opened.why(
        new Error(
          `got ${formatBytes(this.size)} (${this.size} bytes) where ${this.opened.size} were announced`,
        ),
      ),
    );
  }

  private async verdict(): Promise<void> {
    if (this.size !== this.opened.size) throw this.sizeError();
    compare(
      this.opened.what,
      this.hash.digest('hex'),
      this.expected,
      this.opts.requestFile,
      'nothing was unpacked or switched on any server',
    );
    try {
      await this.tar.verdict();
    } catch (error) {
      throw new ArtifactError((error as Error).message);
    }
  }
}

const SPOOL = '\0spool'; // the spool file's branch: no server name has a NUL

function streamingFeed(
  opened: OpenedSource & { size: number },
  expected: string,
  opts: ArtifactFeedOptions,
): ArtifactFeed {
  const file = tempFile(opts.tempDir);
  let started: Promise<void> | undefined;
  const gate = new VerifyingGate(opened, expected, opts);
  const start = (names: readonly string[]): SharedArtifact => {
    // pipe() does not pass the body's errors on: a cut download fails the gate with its reason.
    opened.body.once('error', (error) => gate.destroy(new ArtifactError(opened.why(error))));
    const shared = shareStream(opened.body.pipe(gate), [...names, SPOOL]);
    const spool = shared.branch(SPOOL);
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    started = new Promise<void>((resolve, reject) => {
      spool.once('error', reject);
      out.once('error', (error) => {
        const failure = new ArtifactError(`cannot write the artifact to ${file}: ${error.message}`);
        gate.destroy(failure);
        reject(failure);
      });
      out.once('finish', resolve);
      spool.pipe(out);
    });
    started.catch(() => undefined);
    return shared;
  };
  return {
    file,
    sha256: expected,
    size: opened.size,
    get streaming() {
      return started === undefined;
    },
    stream: (names) => (started ? undefined : start(names)),
    ready() {
      if (!started) start([]);
      return started!;
    },
    abort() {
      if (!gate.destroyed) gate.destroy(new ArtifactError('the run ended before the download'));
      opened.body.destroy();
    },
  };
}

/**
 * The artifact for the rollout: a URL or release asset announced at least streamFromBytes big
 * streams (its request and its size are checked here, before any server is touched); anything
 * else is prepared in full first (prepareArtifact). Errors are ArtifactError.
 */
export async function openArtifactFeed(
  source: ArtifactSource,
  opts: ArtifactFeedOptions,
): Promise<ArtifactFeed> {
  const streamFrom = opts.streamFromBytes ?? DEFAULT_STREAM_FROM_BYTES;
  if (!('url' in source) && !('release_asset' in source)) {
    return fileFeed(await prepareArtifact(source, opts));
  }
  const expected = expectedHash(source.sha256);
  const opened =
    'url' in source
      ? await openUrl(source.url, opts)
      : await openReleaseAsset(source.release_asset, opts);
  const size = opened.size;
  if (size !== undefined && size >= streamFrom) {
    return streamingFeed({ ...opened, size }, expected, opts);
  }
  return fileFeed(await prepareArtifact(source, opts, opened));
}
