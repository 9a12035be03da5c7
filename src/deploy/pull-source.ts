// Where servers download the artifact from in pull mode (deploy.transfer: pull): artifact.url as
// the request gives it, or a release asset's signed link. Such a link works without a token and
// expires after a few minutes, so it is asked for when a server needs it, and one younger than
// REUSE_MS serves the next servers too (one API request for a whole batch, a fresh one for a
// batch that starts minutes later).
import type { ArtifactSource } from '../request/types.js';
import { ArtifactError, displayUrl, type ReleaseAssetSource } from './artifact.js';
import type { PullSource } from './pull-artifact-script.js';

/** A link this young is handed to another server; GitHub's live 300 s. */
export const REUSE_MS = 60_000;

export interface PullLink {
  /** For logs: the URL without its query, or the release asset. */
  what: string;
  /** The URL a server should fetch now. */
  source(): Promise<PullSource>;
}

export interface PullLinkOptions {
  findAsset?: (
    tag: string,
    name: string,
  ) => Promise<ReleaseAssetSource & { link(): Promise<string> }>;
  now?: () => number;
}

/** True when the artifact can be pulled by servers (a path exists only on the runner). */
export function pullable(source: ArtifactSource): boolean {
  return !('path' in source);
}

/**
 * The pull link for a url or release_asset artifact; a release that cannot be found is an
 * ArtifactError here, before any server is touched.
 */
export async function pullLinkFor(
  source: ArtifactSource,
  opts: PullLinkOptions = {},
): Promise<PullLink> {
  if ('url' in source) {
    const fixed = { url: source.url, show: displayUrl(source.url) };
    return { what: fixed.show, source: () => Promise.resolve(fixed) };
  }
  if (!('release_asset' in source)) {
    throw new ArtifactError('artifact.path exists only on the runner: it cannot be pulled');
  }
  const { tag, name } = source.release_asset;
  const what = `release asset ${name} of ${tag}`;
  if (!opts.findAsset) throw new ArtifactError('release assets cannot be fetched in this run');
  let asset: Awaited<ReturnType<NonNullable<PullLinkOptions['findAsset']>>>;
  try {
    asset = await opts.findAsset(tag, name);
  } catch (error) {
    throw new ArtifactError(`could not fetch ${what}: ${(error as Error).message}`);
  }
  const now = opts.now ?? Date.now;
  let cached: { at: number; link: Promise<PullSource> } | undefined;
  return {
    what,
    source() {
      if (!cached || now() - cached.at > REUSE_MS) {
        const link = asset.link().then((url) => ({ url, show: `${what} (${displayUrl(url)})` }));
        cached = { at: now(), link };
        // A failed request is not kept: the next server asks again.
        link.catch(() => {
          if (cached?.link === link) cached = undefined;
        });
      }
      return cached.link;
    },
  };
}
