// Releases as GitHub serves them. GitHub's REST docs:
// - "Get a release by tag name": GET /repos/{owner}/{repo}/releases/tags/{tag}, 200 or 404
//   ("Get a published release with the specified tag": drafts are not found by tag).
//   https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name
// - "Get a release asset": GET /repos/{owner}/{repo}/releases/assets/{asset_id}. "To download the
//   asset's binary content, set the Accept header of the request to application/octet-stream. The
//   API will either redirect the client to the location, or stream it directly if possible. API
//   clients should handle both a 200 or 302 response." The location is a short-lived signed URL
//   on another host (objects.githubusercontent.com), which takes no token.
//   https://docs.github.com/rest/releases/assets#get-a-release-asset
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { testTls } from '../support/test-tls.js';
import { repo, standIn, statusOf } from './helpers.js';

const run = promisify(execFile);

const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x0a, 0x0d, 0x80, 0x7f]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('releases', () => {
  test('a release by tag lists its assets in GitHub shapes; an unknown tag or a draft is 404', async () => {
    const { gh, octokit } = await standIn();
    const ids = gh.createRelease('v1.0.0', { assets: { 'web.tgz': bytes } });
    gh.createRelease('v2.0.0-rc', { draft: true });
    const o = octokit();
    const { data } = await o.rest.repos.getReleaseByTag({ ...repo, tag: 'v1.0.0' });
    expect(data).toMatchObject({
      tag_name: 'v1.0.0',
      draft: false,
      url: `${gh.url}/repos/acme/app/releases/${data.id}`,
      assets: [
        {
          id: ids['web.tgz'],
          name: 'web.tgz',
          size: bytes.length,
          state: 'uploaded',
          digest: `sha256:${sha(bytes)}`,
          url: `${gh.url}/repos/acme/app/releases/assets/${ids['web.tgz']}`,
          browser_download_url: 'https://github.com/acme/app/releases/download/v1.0.0/web.tgz',
        },
      ],
    });
    expect(gh.refs()['refs/tags/v1.0.0']).toBe(gh.branch('main'));
    for (const tag of ['v9', 'v2.0.0-rc']) {
      expect(await statusOf(o.rest.repos.getReleaseByTag({ ...repo, tag }))).toMatchObject({
        status: 404,
      });
    }
    const listed = await o.rest.repos.listReleaseAssets({ ...repo, release_id: data.id });
    expect(listed.data.map((a) => a.name)).toEqual(['web.tgz']);
  });

  test('an asset without the octet-stream accept header is its JSON; unknown ids are 404', async () => {
    const { gh, octokit } = await standIn();
    const { 'web.tgz': id } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const o = octokit();
    const { data } = await o.rest.repos.getReleaseAsset({ ...repo, asset_id: id as number });
    expect(data).toMatchObject({ id, name: 'web.tgz', size: bytes.length });
    expect(await statusOf(o.rest.repos.getReleaseAsset({ ...repo, asset_id: 1 }))).toMatchObject({
      status: 404,
    });
  });

  test('with octet-stream it is 302 to another origin, whose signed link serves the bytes without a token', async () => {
    const { gh } = await standIn();
    const { 'web.tgz': id } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const api = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    expect(api.status).toBe(302);
    const location = new URL(api.headers.get('location') as string);
    expect(location.origin).toBe(gh.assetHostUrl);
    expect(location.origin).not.toBe(new URL(gh.url).origin);
    expect(location.hostname).not.toBe(new URL(gh.url).hostname);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(await gh.assetHostCalls()).toEqual([
      {
        path: location.pathname,
        assetId: id,
        authorization: null,
        status: 200,
        bytesSent: bytes.length,
      },
    ]);
  });

  test('the asset host records a token sent to it and refuses it (S3: one auth mechanism)', async () => {
    const { gh } = await standIn();
    const { 'web.tgz': id } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const api = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    const leaked = await fetch(api.headers.get('location') as string, {
      headers: { authorization: `token ${gh.tokens.write}` },
    });
    expect(leaked.status).toBe(400);
    const [call] = await gh.assetHostCalls();
    expect(call).toMatchObject({ authorization: `token ${gh.tokens.write}`, bytesSent: 0 });
  });

  test('signed links expire after 300 s and cannot be forged', async () => {
    const { gh } = await standIn();
    // The link's X-Amz-Date is a whole second: start on one, and stop the clock, to test the edge.
    gh.clock.freeze();
    gh.clock.set(Math.floor(gh.clock.now().getTime() / 1000) * 1000);
    const { 'web.tgz': id } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const res = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    const link = new URL(res.headers.get('location') as string);
    const forged = new URL(link);
    forged.searchParams.set('X-Amz-Date', String(Number(link.searchParams.get('X-Amz-Date')) + 60));
    expect((await fetch(forged)).status).toBe(403);
    gh.clock.advance(300_000);
    expect((await fetch(link)).status).toBe(200);
    gh.clock.advance(1000);
    const expired = await fetch(link);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  test('replacing an asset is delete + upload: a new id, and links to the old one are 404', async () => {
    const { gh } = await standIn();
    const { 'web.tgz': oldId } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const res = await fetch(`${gh.url}/repos/acme/app/releases/assets/${oldId}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    const newId = gh.replaceAsset('v1', 'web.tgz', Buffer.from('other bytes'));
    expect(newId).not.toBe(oldId);
    expect((await fetch(res.headers.get('location') as string)).status).toBe(404);
    const again = await fetch(`${gh.url}/repos/acme/app/releases/tags/v1`, {
      headers: { authorization: `token ${gh.tokens.write}` },
    });
    const release = (await again.json()) as { assets: { id: number; digest: string }[] };
    expect(release.assets).toMatchObject([
      { id: newId, digest: `sha256:${sha(Buffer.from('other bytes'))}` },
    ]);
  });

  test('virtual assets stream without being held whole; a client that stops reading stops the host', async () => {
    const { gh } = await standIn();
    const size = 512 * 1024 * 1024;
    const { 'big.tgz': id } = gh.createRelease('v1', {
      assets: { 'big.tgz': { bytes: { size, fill: 7 }, listedSize: 10 } },
    });
    const meta = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}` },
    });
    expect(await meta.json()).toMatchObject({ size: 10, digest: null });
    const res = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'follow',
    });
    expect(res.headers.get('content-length')).toBe(String(size));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value?.[0]).toBe(7);
    await reader.cancel();
    const [call] = await gh.assetHostCalls();
    expect(call?.bytesSent).toBeGreaterThan(0);
    expect(call?.bytesSent).toBeLessThan(size / 4);
  });
});

describe('the asset host over HTTPS, fetched by curl as a server would (deploy.transfer: pull)', () => {
  // "The API will either redirect the client to the location, or stream it directly if possible"
  // (https://docs.github.com/rest/releases/assets#get-a-release-asset): the location is an
  // https:// link that works without a token for a few minutes.
  const curl = (url: string, caFile: string) =>
    run('curl', ['-fsS', '--proto', '=https', '--cacert', caFile, url], {
      encoding: 'buffer',
    }).then(
      (out) => ({ code: 0, stdout: out.stdout, stderr: '' }),
      (error: { code: number; stderr: Buffer }) => ({
        code: error.code,
        stdout: Buffer.alloc(0),
        stderr: error.stderr.toString(),
      }),
    );

  test('the 302 points to https; the link serves the bytes without a token until it expires, and a tampered one is refused', async () => {
    const tls = await testTls();
    const { gh } = await standIn({ assetHostTls: tls });
    const { 'web.tgz': id } = gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const api = await fetch(`${gh.url}/repos/acme/app/releases/assets/${id}`, {
      headers: { authorization: `token ${gh.tokens.write}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    expect(api.status).toBe(302);
    const link = api.headers.get('location') as string;
    expect(link).toMatch(/^https:\/\/127\.0\.0\.2:\d+\//);
    expect(await curl(link, tls.caFile)).toMatchObject({ code: 0, stdout: bytes });
    const tampered = link.replace(
      /X-Amz-Signature=(.)/,
      (_, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
    );
    expect(await curl(tampered, tls.caFile)).toMatchObject({
      code: 22,
      stderr: expect.stringContaining('403'),
    });
    gh.clock.advance(301_000);
    expect(await curl(link, tls.caFile)).toMatchObject({ code: 22 });
    expect((await gh.assetHostCalls()).map((c) => [c.status, c.authorization])).toEqual([
      [200, null],
      [403, null],
      [403, null],
    ]);
  });
});
