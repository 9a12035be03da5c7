// Where servers download from in pull mode: artifact.url as given; a release asset's signed
// link asked for when needed and reused while young (one API request per batch, not per server).
import { describe, expect, it } from 'vitest';
import { ArtifactError } from '../../../src/deploy/artifact.js';
import { pullable, pullLinkFor, REUSE_MS } from '../../../src/deploy/pull-source.js';

const sha256 = 'a'.repeat(64);
const asset = { release_asset: { tag: 'v1', name: 'web.tgz' }, sha256 };

function assetSource(links: Array<string | Error>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    findAsset: (tag: string, name: string) =>
      Promise.resolve({
        size: 1,
        open: () => Promise.reject(new Error('never opened in pull mode')),
        link: () => {
          const next = links[calls++] ?? new Error(`no link ${tag} ${name}`);
          return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
        },
      }),
  };
}

describe('pullLinkFor', () => {
  it('an artifact.url is fetched as given and shown without its query', async () => {
    const link = await pullLinkFor({ url: 'https://h.example/a.tgz?sig=secret', sha256 });
    expect(link.what).toBe('https://h.example/a.tgz?…');
    expect(await link.source()).toEqual({
      url: 'https://h.example/a.tgz?sig=secret',
      show: 'https://h.example/a.tgz?…',
    });
  });

  it('a path cannot be pulled; a release asset needs the GitHub port and must exist', async () => {
    expect(pullable({ path: 'build/a.tgz', sha256 })).toBe(false);
    expect(pullable(asset)).toBe(true);
    await expect(pullLinkFor({ path: 'build/a.tgz', sha256 })).rejects.toThrow(ArtifactError);
    await expect(pullLinkFor(asset)).rejects.toThrow(
      'release assets cannot be fetched in this run',
    );
    await expect(
      pullLinkFor(asset, { findAsset: () => Promise.reject(new Error('no release v1')) }),
    ).rejects.toThrow(
      new ArtifactError('could not fetch release asset web.tgz of v1: no release v1'),
    );
  });

  it('a signed link is reused for REUSE_MS, then asked for again; a failed request is not kept', async () => {
    let now = 1_000_000;
    const source = assetSource([
      'https://objects.example/1?X-Amz-Signature=one',
      new Error('GitHub 502'),
      'https://objects.example/1?X-Amz-Signature=two',
    ]);
    const link = await pullLinkFor(asset, { findAsset: source.findAsset, now: () => now });
    expect(link.what).toBe('release asset web.tgz of v1');
    const first = await link.source();
    expect(first).toEqual({
      url: 'https://objects.example/1?X-Amz-Signature=one',
      show: 'release asset web.tgz of v1 (https://objects.example/1?…)',
    });
    now += REUSE_MS;
    expect(await link.source()).toBe(first);
    expect(source.calls).toBe(1);
    now += 1;
    await expect(link.source()).rejects.toThrow('GitHub 502');
    expect((await link.source()).url).toBe('https://objects.example/1?X-Amz-Signature=two');
    expect(source.calls).toBe(3);
  });
});
