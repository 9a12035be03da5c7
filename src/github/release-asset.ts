// A release asset as GitHub serves it: the API answers the download with a redirect to a
// short-lived signed URL on another host. That host gets no token (it needs none, and must not
// see it), and the bytes are handed on as a stream for the caller to hash and store.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { GitHubClient } from './client.js';
import { attempt, GitHubNotFoundError } from './errors.js';
import type { ReleaseAsset, RepoRef } from './port.js';

/** A release asset that cannot be had; the message says what to fix. */
export class ReleaseAssetError extends Error {
  override name = 'ReleaseAssetError';
}

/** Where a signed URL points, for messages: its query is a credential. */
function hostOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function toNode(body: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
}

/** The asset's size from its release; its bytes only when opened (a size over the limit never downloads). */
export async function findReleaseAsset(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
  name: string,
): Promise<ReleaseAsset> {
  let assets: { id: number; name: string; size: number }[];
  try {
    const release = await attempt('findReleaseAsset', () =>
      client.rest.repos.getReleaseByTag({ ...repo, tag }),
    );
    assets = release.data.assets;
  } catch (error) {
    if (error instanceof GitHubNotFoundError) {
      throw new ReleaseAssetError(
        `this repository has no release with tag ${tag} (GitHub answered 404); publish the release, or fix \`artifact.release_asset.tag\``,
      );
    }
    throw error;
  }
  const asset = assets.find((a) => a.name === name);
  if (!asset) {
    throw new ReleaseAssetError(
      `release ${tag} has no asset named ${name}; its assets: ${assets.map((a) => a.name).join(', ') || 'none'}. Upload it, or fix \`artifact.release_asset.name\``,
    );
  }
  return {
    size: asset.size,
    open: (signal?: AbortSignal) => openAsset(client, repo, asset.id, signal),
  };
}

async function openAsset(
  client: GitHubClient,
  repo: RepoRef,
  assetId: number,
  signal?: AbortSignal,
): Promise<Readable> {
  // Not followed by the client: the redirect target must be fetched without the token. The
  // signal bounds the download (the API's answer is a redirect, or GitHub streaming it itself).
  const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    ...repo,
    asset_id: assetId,
    headers: { accept: 'application/octet-stream' },
    request: { redirect: 'manual', parseSuccessResponseBody: false },
  });
  const served = response.data as unknown as ReadableStream<Uint8Array> | null;
  const status = response.status as number;
  if (status < 300 || status >= 400) {
    // Served by the API itself (GitHub Enterprise Server may): the bytes are right here.
    if (!served) throw new ReleaseAssetError(`GitHub answered ${status} with no body`);
    return toNode(served);
  }
  await served?.cancel();
  const location = response.headers.location;
  if (!location) throw new ReleaseAssetError(`GitHub answered ${status} without a Location`);
  const target = new URL(location, response.url);
  let download: Response;
  try {
    download = await fetch(target, {
      headers: { accept: 'application/octet-stream' },
      redirect: 'follow',
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: unknown } }).cause?.message;
    const why = typeof cause === 'string' ? cause : (error as Error).message;
    throw new ReleaseAssetError(
      `the download host ${hostOf(target)} could not be reached: ${why.split(target.href).join(hostOf(target))}`,
    );
  }
  if (!download.ok || !download.body) {
    await download.body?.cancel();
    throw new ReleaseAssetError(
      `the download host ${hostOf(target)} answered HTTP ${download.status}; try again (its links expire after a few minutes)`,
    );
  }
  return toNode(download.body);
}
