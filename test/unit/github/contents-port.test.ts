// The port's repository and files: the default branch, a file's text and blob SHA at a ref
// (a missing one is null, one over 1 MiB is never mistaken for empty), and release assets, whose
// bytes stream from the redirect host without the token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTooLargeError, type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { startPortSetup } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;

beforeEach(async () => {
  ({ gh, port } = await startPortSetup());
});
afterEach(() => gh.close());

describe('repository and files', () => {
  it('default branch; file text at a ref; a directory or a missing file is null', async () => {
    expect(await port.getDefaultBranch()).toBe('main');
    const sha = gh.commitOn('main', { 'cfg.yml': 'version: 1\nü\n' });
    expect(await port.getFileText('cfg.yml', sha)).toBe('version: 1\nü\n');
    expect(await port.getFileText('dir', sha)).toBeNull();
    expect(await port.getFileText('nope.yml', sha)).toBeNull();
  });

  it('getFile: the text and its blob SHA, which changes with any edit (the digest binds it)', async () => {
    const first = gh.commitOn('main', { 'cfg.yml': 'version: 1\n' });
    const a = await port.getFile('cfg.yml', first);
    expect(a).toEqual({ text: 'version: 1\n', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const second = gh.commitOn('main', { 'cfg.yml': '# note\nversion: 1\n' });
    expect((await port.getFile('cfg.yml', second))?.sha).not.toBe(a?.sha);
    expect(await port.getFile('cfg.yml', first)).toEqual(a);
    expect(await port.getFile('nope.yml', second)).toBeNull();
  });

  it('a non-file entry (symlink, submodule) is null; a file without content is empty', async () => {
    gh.inject({ path: '/contents/link', status: 200, body: { type: 'symlink', target: 'x' } });
    expect(await port.getFileText('link', 'main')).toBeNull();
    gh.inject({ path: '/contents/empty', status: 200, body: { type: 'file', name: 'empty' } });
    expect(await port.getFileText('empty', 'main')).toBe('');
  });

  it('a file over 1 MiB (sent without content) is FileTooLargeError, never empty', async () => {
    gh.inject({
      path: '/contents/big.yml',
      status: 200,
      body: { type: 'file', encoding: 'none', size: 2_000_000, content: '' },
    });
    const error = await port.getFileText('big.yml', 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toMatchObject({
      path: 'big.yml',
      size: 2_000_000,
      message: 'big.yml is 2000000 bytes, too large to read',
    });
    gh.inject({
      path: '/contents/empty.yml',
      status: 200,
      body: { type: 'file', encoding: 'none', size: 0, content: '' },
    });
    expect(await port.getFileText('empty.yml', 'main')).toBe('');
  });

  it('other errors reading a file propagate; a 403 names the permission (permissions.ts)', async () => {
    gh.inject({ path: '/contents/cfg.yml', status: 400, body: { message: 'nope' } });
    await expect(port.getFileText('cfg.yml', 'main')).rejects.toMatchObject({ status: 400 });
    gh.inject({ path: '/contents/cfg.yml', status: 403, body: { message: 'nope' } });
    await expect(port.getFileText('cfg.yml', 'main')).rejects.toThrow(
      /^GitHub refused to read a file \(403: nope.*\)\. The workflow needs `permissions: contents: read`/,
    );
  });
});

describe('release assets', () => {
  const bytes = Buffer.from('artifact bytes \x00\xff binary');
  const read = async (body: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  it('lists the size, then streams the bytes from the redirect host, which never gets the token', async () => {
    gh.createRelease('v1', { assets: { 'other.tgz': Buffer.from('x'), 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    expect(asset.size).toBe(bytes.length);
    expect(await gh.assetHostCalls()).toEqual([]);
    expect(await read(await asset.open())).toEqual(bytes);
    const calls = await gh.assetHostCalls();
    expect(calls).toMatchObject([{ authorization: null, status: 200 }]);
    // The API got the token and answered 302; the bytes came from the other origin.
    expect(gh.calls({ path: /\/releases\/assets\// })).toMatchObject([
      { status: 302, token: gh.tokens.write },
    ]);
  });

  it('takes the bytes from the API itself when it answers 200 (GitHub may stream them directly)', async () => {
    gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    gh.inject({
      path: /\/releases\/assets\//,
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: 'direct',
    });
    expect((await read(await asset.open())).toString()).toBe('"direct"');
    expect(await gh.assetHostCalls()).toEqual([]);
  });

  it('names what to fix: no such release, no such asset (with the ones there are)', async () => {
    await expect(port.findReleaseAsset('v9', 'web.tgz')).rejects.toThrow(
      'this repository has no release with tag v9 (GitHub answered 404); publish the release, or fix `artifact.release_asset.tag`',
    );
    gh.createRelease('v1', { assets: { 'a.tgz': bytes } });
    gh.createRelease('v2');
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toThrow(
      'release v1 has no asset named web.tgz; its assets: a.tgz. Upload it, or fix `artifact.release_asset.name`',
    );
    await expect(port.findReleaseAsset('v2', 'web.tgz')).rejects.toThrow('its assets: none.');
  });

  it('a token without contents: read, and other GitHub failures', async () => {
    gh.inject({
      path: '/releases/tags/v1',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toThrow(
      /GitHub refused to read a release asset.*`permissions: contents: read`/,
    );
    gh.inject({ path: '/releases/tags/v1', status: 400, body: { message: 'Bad' } });
    await expect(port.findReleaseAsset('v1', 'web.tgz')).rejects.toMatchObject({ status: 400 });
  });

  it('the redirect host failing: expired link, unreachable, a 302 without Location, a 204 without body', async () => {
    gh.createRelease('v1', { assets: { 'web.tgz': bytes } });
    const asset = await port.findReleaseAsset('v1', 'web.tgz');
    const expired = `${gh.assetHostUrl}/github-production-release-asset/1/2?X-Amz-Date=1&X-Amz-Signature=secret`;
    gh.inject({ path: /\/releases\/assets\//, status: 302, headers: { location: expired } });
    const failure = asset.open().catch((e: Error) => e.message);
    expect(await failure).toBe(
      `the download host ${gh.assetHostUrl} answered HTTP 403; try again (its links expire after a few minutes)`,
    );
    expect(await failure).not.toContain('secret');
    gh.inject({
      path: /\/releases\/assets\//,
      status: 302,
      headers: { location: 'http://127.0.0.1:1/x?sig=secret' },
    });
    const unreachable = await asset.open().catch((e: Error) => e.message);
    expect(unreachable).toMatch(
      /^the download host http:\/\/127\.0\.0\.1:1 could not be reached: /,
    );
    expect(unreachable).not.toContain('secret');
    const aborted = new AbortController();
    aborted.abort();
    await expect(asset.open(aborted.signal)).rejects.toThrow(
      `the download host ${gh.assetHostUrl} could not be reached: This operation was aborted`,
    );
    gh.inject({ path: /\/releases\/assets\//, status: 302 });
    await expect(asset.open()).rejects.toThrow('GitHub answered 302 without a Location');
    gh.inject({ path: /\/releases\/assets\//, status: 204 });
    await expect(asset.open()).rejects.toThrow('GitHub answered 204 with no body');
  });
});
