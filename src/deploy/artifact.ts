// The artifact on the runner: fetched or found once, hashed, checked for unsafe members, then
// uploaded to every server (which verifies the same SHA-256 again before using it).
import { randomBytes } from 'node:crypto';
import { realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ArtifactSource } from '../request/types.js';
import { DEFAULT_MAX_ARTIFACT_BYTES, formatBytes, hashFile, saveHashed } from './hash-stream.js';
import { assertSafeTarball } from './tar-safety.js';

export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

export interface PreparedArtifact {
  file: string;
  sha256: string;
  size: number;
}

/** A release asset: the size its release lists, and its bytes when opened. */
export interface ReleaseAssetSource {
  size: number;
  open(signal?: AbortSignal): Promise<Readable>;
}

export interface PrepareArtifactOptions {
  /** The checkout the workflow built in (GITHUB_WORKSPACE). */
  workspace: string;
  /** The commit checked out in the workspace. */
  workspaceSha: string;
  /** The head SHA the deployment was confirmed for. */
  headSha: string;
  /**
   * Where `artifact.path` is found instead of the workspace (the `artifact-dir` input): a build
   * another job made and this one downloaded. Its bytes are bound by the request's sha256 alone.
   */
  artifactDir?: string;
  /** The request file, named in a SHA-256 mismatch: where its artifact.sha256 is. */
  requestFile?: string;
  /** Where downloads go (RUNNER_TEMP); the caller removes it. */
  tempDir: string;
  /** Finds this repository's release asset (wired to the GitHub API). */
  findAsset?: (tag: string, name: string) => Promise<ReleaseAssetSource>;
  maxBytes?: number; // default 2 GiB
  downloadTimeoutMs?: number; // default 30 min
}

const SHA256 = /^[0-9a-f]{64}$/;

// The request is validated long before, so this only guards callers that skip validation.
export function expectedHash(value: string | undefined): string {
  const hash = (value ?? '').trim().toLowerCase();
  if (!SHA256.test(hash)) {
    throw new ArtifactError(
      `artifact.sha256 is missing or not 64 hex digits: nothing unbound is deployed`,
    );
  }
  return hash;
}

/** Refuses bytes whose SHA-256 is not the request's; `outcome` says what that left undone. */
export function compare(
  what: string,
  actual: string,
  expected: string,
  requestFile?: string,
  outcome = 'nothing was uploaded',
): void {
  if (actual !== expected) {
    const where = requestFile ? ` (artifact.sha256 in ${requestFile})` : '';
    throw new ArtifactError(
      `${what} has SHA-256 ${actual}, but the request says ${expected}${where}: refusing it (${outcome}). ` +
        'These are not the bytes that were approved; if they are meant, put their sha256 in the request (approvals are asked again).',
    );
  }
}

export function tempFile(tempDir: string): string {
  return path.join(tempDir, `deploy-request-artifact-${randomBytes(6).toString('hex')}.tar.gz`);
}

/** The URL as messages show it: no user:password, no query (it may carry a signature). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return 'artifact.url';
  }
}

/** A download opened (status and size checked), its body not read yet. */
export interface OpenedSource {
  /** How messages name it: "the artifact downloaded from <url>", "release asset <name> of <tag>". */
  what: string;
  body: Readable;
  /** The exact byte count announced before the body (Content-Length, the release's listing). */
  size?: number;
  /** A transport error's text, without secrets the URL may carry. */
  why(error: unknown): string;
}

/** Opens artifact.url: a refused URL, a failed request or an oversized answer throw ArtifactError. */
export async function openUrl(rawUrl: string, opts: PrepareArtifactOptions): Promise<OpenedSource> {
  const url = displayUrl(rawUrl);
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new ArtifactError(`artifact.url is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ArtifactError(`artifact.url must be http(s), not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new ArtifactError(`artifact.url must not contain credentials (${url})`);
  }
  // Transport errors may quote the full URL, query signature included.
  const why = (error: unknown) => {
    const cause = (error as { cause?: { message?: unknown } }).cause?.message;
    const text = typeof cause === 'string' ? cause : (error as Error).message;
    return text.split(rawUrl).join(url).split(parsed.href).join(url);
  };
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  let response: Response;
  try {
    response = await fetch(parsed, {
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.downloadTimeoutMs ?? 30 * 60_000),
    });
  } catch (error) {
    throw new ArtifactError(`could not download ${url}: ${why(error)}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ArtifactError(`could not download ${url}: HTTP ${response.status}`);
  }
  const length = response.headers.get('content-length');
  const announced = Number(length);
  if (announced > maxBytes) {
    await response.body.cancel();
    throw new ArtifactError(
      `${url} is ${formatBytes(announced)}, more than the ${formatBytes(maxBytes)} limit`,
    );
  }
  // fetch decodes a Content-Encoding, and then the length counts other bytes than the body's.
  const encoding = response.headers.get('content-encoding') ?? 'identity';
  const exact = length !== null && Number.isSafeInteger(announced) && encoding === 'identity';
  return {
    what: `the artifact downloaded from ${url}`,
    body: Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
    size: exact ? announced : undefined,
    why: (error) => `could not download ${url}: ${why(error)}`,
  };
}

async function workspaceFile(relative: string, opts: PrepareArtifactOptions): Promise<string> {
  const dir = opts.artifactDir;
  const where = dir ? `artifact-dir ${dir}` : 'the workspace';
  // From artifact-dir (built by a job that ran pull-request code), only the request's sha256
  // says what the bytes are; it is required for every artifact and compared by the caller.
  if (!dir && opts.workspaceSha !== opts.headSha) {
    // A file built from another commit would deploy code nobody approved.
    throw new ArtifactError(
      `artifact.path ${relative}: the workspace is a checkout of ${opts.workspaceSha}, not the ` +
        `confirmed head ${opts.headSha}; check out the head commit and build it in this job`,
    );
  }
  if (path.isAbsolute(relative)) {
    throw new ArtifactError(`artifact.path ${relative} must be relative to ${where}`);
  }
  const root = await realpath(dir ?? opts.workspace).catch(() => {
    throw new ArtifactError(
      `artifact-dir ${dir} does not exist: download the build there before this step`,
    );
  });
  let real: string;
  try {
    real = await realpath(path.resolve(root, relative));
  } catch {
    throw new ArtifactError(`artifact.path ${relative} does not exist in ${where}`);
  }
  // realpath resolves symlinks, so a link pointing out of the directory is caught here too.
  if (!real.startsWith(root + path.sep)) {
    throw new ArtifactError(`artifact.path ${relative} resolves outside ${where}`);
  }
  if (!(await stat(real)).isFile()) {
    throw new ArtifactError(`artifact.path ${relative} is not a regular file`);
  }
  return real;
}

/** Saves an opened download to a new temp file, hashing it, and compares the hash. */
async function save(
  opened: OpenedSource,
  expected: string,
  opts: PrepareArtifactOptions,
  created: string[],
): Promise<PreparedArtifact> {
  const file = tempFile(opts.tempDir);
  created.push(file);
  let saved: { sha256: string; size: number };
  try {
    // The limit holds for the bytes too, whatever size was announced.
    saved = await saveHashed(opened.body, file, opts.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES);
  } catch (error) {
    throw new ArtifactError(opened.why(error));
  }
  compare(opened.what, saved.sha256, expected, opts.requestFile);
  return { file, ...saved };
}

async function locate(
  source: ArtifactSource,
  opts: PrepareArtifactOptions,
  created: string[],
  opened?: OpenedSource,
): Promise<PreparedArtifact> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  const expected = expectedHash(source.sha256);
  if ('url' in source) {
    return save(opened ?? (await openUrl(source.url, opts)), expected, opts, created);
  }
  if ('release_asset' in source) {
    return save(
      opened ?? (await openReleaseAsset(source.release_asset, opts)),
      expected,
      opts,
      created,
    );
  }
  const file = await workspaceFile(source.path, opts);
  const { sha256, size } = await hashOrRefuse(file, maxBytes);
  compare(`artifact.path ${source.path}`, sha256, expected, opts.requestFile);
  return { file, sha256, size };
}

/** Opens a release asset: refused on the size its release lists, before any byte is requested. */
export async function openReleaseAsset(
  asset: { tag: string; name: string },
  opts: PrepareArtifactOptions,
): Promise<OpenedSource> {
  const what = `release asset ${asset.name} of ${asset.tag}`;
  if (!opts.findAsset) throw new ArtifactError('release assets cannot be fetched in this run');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  let found: ReleaseAssetSource;
  try {
    found = await opts.findAsset(asset.tag, asset.name);
  } catch (error) {
    throw new ArtifactError(`could not fetch ${what}: ${(error as Error).message}`);
  }
  if (found.size > maxBytes) {
    throw new ArtifactError(
      `${what} is ${formatBytes(found.size)}, more than the ${formatBytes(maxBytes)} limit`,
    );
  }
  const why = (error: unknown) => `could not download ${what}: ${(error as Error).message}`;
  try {
    const body = await found.open(AbortSignal.timeout(opts.downloadTimeoutMs ?? 30 * 60_000));
    return { what, body, size: found.size, why };
  } catch (error) {
    throw new ArtifactError(why(error));
  }
}

async function hashOrRefuse(file: string, maxBytes: number) {
  try {
    return await hashFile(file, maxBytes);
  } catch (error) {
    throw new ArtifactError((error as Error).message);
  }
}

/** Fetches or finds the artifact, verifies it and refuses unsafe archives; errors are ArtifactError. */
export async function prepareArtifact(
  source: ArtifactSource,
  opts: PrepareArtifactOptions,
  /** The URL or release asset of `source`, already opened (openUrl, openReleaseAsset). */
  opened?: OpenedSource,
): Promise<PreparedArtifact> {
  const created: string[] = [];
  try {
    const prepared = await locate(source, opts, created, opened);
    try {
      await assertSafeTarball(prepared.file);
    } catch (error) {
      throw new ArtifactError((error as Error).message);
    }
    return prepared;
  } catch (error) {
    await Promise.all(created.map((file) => rm(file, { force: true })));
    throw error;
  }
}
