// Releases and their assets, as GitHub serves them (REST docs: "Get a release by tag name",
// https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name, and "Get a release
// asset", https://docs.github.com/rest/releases/assets#get-a-release-asset): with
// `Accept: application/octet-stream` the asset answers 302 to a short-lived signed URL on another
// host (asset-host.ts), which is where the bytes come from; without it, the asset's JSON.
import { createHash } from 'node:crypto';
import { nodeId, simpleUser, type Schemas } from './builders.js';
import { HttpError, notFound, num, ok, paginate, type Ctx } from './http.js';
import type { Router } from './router.js';
import type { State } from './state.js';
import type { AssetHost } from './asset-host.js';

/** Bytes generated on demand (never held whole): `size` bytes of `fill`. */
export interface VirtualBytes {
  size: number;
  fill?: number;
}

export type AssetBytes = Buffer | VirtualBytes;

export interface AssetInput {
  bytes: AssetBytes;
  contentType?: string;
  /** The size the API lists, when it should differ from the bytes' (a lying listing). */
  listedSize?: number;
}

export interface AssetRec {
  id: number;
  releaseId: number;
  name: string;
  contentType: string;
  bytes: AssetBytes;
  listedSize: number | undefined;
  uploader: string;
  createdAt: string;
  updatedAt: string;
  downloads: number;
}

export interface ReleaseRec {
  id: number;
  tag: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
  assets: AssetRec[];
}

export interface ReleaseStore {
  releases: ReleaseRec[];
  host: AssetHost | undefined;
}

const stores = new WeakMap<State, ReleaseStore>();

export function releaseStore(s: State): ReleaseStore {
  let store = stores.get(s);
  if (!store) {
    store = { releases: [], host: undefined };
    stores.set(s, store);
  }
  return store;
}

export function byteLength(bytes: AssetBytes): number {
  return Buffer.isBuffer(bytes) ? bytes.length : bytes.size;
}

function sha256Of(bytes: AssetBytes): string | null {
  // Virtual bytes may be gigabytes: GitHub's digest is only worth computing for real ones.
  return Buffer.isBuffer(bytes)
    ? `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    : null;
}

export function addAsset(
  s: State,
  release: ReleaseRec,
  name: string,
  input: AssetBytes | AssetInput,
  uploader: string,
): AssetRec {
  const spec: AssetInput = Buffer.isBuffer(input) || !('bytes' in input) ? { bytes: input } : input;
  if (release.assets.some((a) => a.name === name)) {
    // GitHub: "already_exists" on upload of a name the release has.
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
    });
  }
  const rec: AssetRec = {
    id: s.nextId('release-asset', 90_000_000),
    releaseId: release.id,
    name,
    contentType: spec.contentType ?? 'application/gzip',
    bytes: spec.bytes,
    listedSize: spec.listedSize,
    uploader,
    createdAt: s.now(),
    updatedAt: s.now(),
    downloads: 0,
  };
  release.assets.push(rec);
  return rec;
}

export function createRelease(
  s: State,
  tag: string,
  o: {
    assets?: Record<string, AssetBytes | AssetInput>;
    draft?: boolean;
    name?: string;
    author?: string;
  } = {},
): ReleaseRec {
  const store = releaseStore(s);
  if (store.releases.some((r) => r.tag === tag)) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
    });
  }
  // Publishing a release of a missing tag creates the tag at the default branch.
  if (!s.git.refs.has(`refs/tags/${tag}`)) {
    s.git.refs.set(`refs/tags/${tag}`, s.git.refs.get(`refs/heads/${s.defaultBranch}`) as string);
  }
  const author = o.author ?? s.owner;
  const rec: ReleaseRec = {
    id: s.nextId('release', 180_000_000),
    tag,
    name: o.name ?? tag,
    draft: o.draft ?? false,
    prerelease: false,
    author,
    createdAt: s.now(),
    publishedAt: o.draft ? null : s.now(),
    assets: [],
  };
  store.releases.push(rec);
  for (const [name, input] of Object.entries(o.assets ?? {})) addAsset(s, rec, name, input, author);
  return rec;
}

/** A published release by tag; drafts are not found by tag (GitHub: 404). */
export function releaseByTag(s: State, tag: string): ReleaseRec | undefined {
  return releaseStore(s).releases.find((r) => r.tag === tag && !r.draft);
}

export function findAsset(
  s: State,
  id: number,
): { release: ReleaseRec; asset: AssetRec } | undefined {
  for (const release of releaseStore(s).releases) {
    const asset = release.assets.find((a) => a.id === id);
    if (asset) return { release, asset };
  }
  return undefined;
}

export function deleteAsset(s: State, id: number): void {
  const found = findAsset(s, id);
  if (!found) throw notFound();
  found.release.assets = found.release.assets.filter((a) => a.id !== id);
}

export function releaseAsset(s: State, a: AssetRec, release: ReleaseRec): Schemas['release-asset'] {
  return {
    url: `${s.repoApi}/releases/assets/${a.id}`,
    browser_download_url: `${s.repoWeb}/releases/download/${encodeURIComponent(release.tag)}/${encodeURIComponent(a.name)}`,
    id: a.id,
    node_id: nodeId('RA_', a.id),
    name: a.name,
    label: null,
    state: 'uploaded',
    content_type: a.contentType,
    size: a.listedSize ?? byteLength(a.bytes),
    digest: sha256Of(a.bytes),
    download_count: a.downloads,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    uploader: simpleUser(s, a.uploader),
  };
}

export function release(s: State, r: ReleaseRec): Schemas['release'] {
  const api = `${s.repoApi}/releases/${r.id}`;
  return {
    url: api,
    html_url: `${s.repoWeb}/releases/tag/${encodeURIComponent(r.tag)}`,
    assets_url: `${api}/assets`,
    upload_url: `https://uploads.github.com/repos/${s.fullName}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${s.repoApi}/tarball/${encodeURIComponent(r.tag)}`,
    zipball_url: `${s.repoApi}/zipball/${encodeURIComponent(r.tag)}`,
    id: r.id,
    node_id: nodeId('RE_', r.id),
    tag_name: r.tag,
    target_commitish: s.defaultBranch,
    name: r.name,
    body: null,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    author: simpleUser(s, r.author),
    assets: r.assets.map((a) => releaseAsset(s, a, r)),
  };
}

function wantsBytes(ctx: Ctx): boolean {
  return /\bapplication\/octet-stream\b/i.test(String(ctx.headers.accept ?? ''));
}

export function releaseRoutes(r: Router): void {
  r.repo('GET', '/releases/tags/:tag', (ctx) => {
    const rec = releaseByTag(ctx.state, ctx.params.tag as string);
    if (!rec) throw notFound();
    return ok(release(ctx.state, rec));
  });

  r.repo('GET', '/releases/assets/:asset_id', (ctx) => {
    const s = ctx.state;
    const found = findAsset(s, num(ctx, 'asset_id'));
    if (!found) throw notFound();
    if (!wantsBytes(ctx)) return ok(releaseAsset(s, found.asset, found.release));
    const host = releaseStore(s).host;
    if (!host) throw new HttpError(500, 'stand-in: the asset host is not running');
    // The bytes live elsewhere, behind a signed URL that expires (the API keeps no body).
    return { status: 302, headers: { location: host.signedUrl(found.asset) } };
  });

  r.repo('GET', '/releases/:release_id/assets', (ctx) => {
    const s = ctx.state;
    const id = num(ctx, 'release_id');
    const rec = releaseStore(s).releases.find((x) => x.id === id);
    if (!rec) throw notFound();
    return paginate(
      ctx,
      rec.assets.map((a) => releaseAsset(s, a, rec)),
    );
  });
}
