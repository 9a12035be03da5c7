// TarballCheck on bytes as they pass: what follows the end-of-archive marker is padding and is
// ignored, as listTarGz ignores it, however much of it the inflater still hands over.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TarballCheck } from '../../../src/deploy/tar-safety.js';

function tarOf(files: Record<string, string>): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dr-tarcheck-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return execFileSync('tar', ['-cf', '-', '-C', dir, ...Object.keys(files)]);
}

async function check(gz: Buffer): Promise<void> {
  const tarball = new TarballCheck();
  for (let at = 0; at < gz.length; at += 64 * 1024) {
    await new Promise<void>((next) => tarball.write(gz.subarray(at, at + 64 * 1024), next));
  }
  await tarball.verdict();
}

describe('TarballCheck', () => {
  it('megabytes of data after the end-of-archive marker are ignored', async () => {
    const gz = gzipSync(Buffer.concat([tarOf({ 'index.html': 'hi' }), Buffer.alloc(3 << 20, 7)]));
    await expect(check(gz)).resolves.toBeUndefined();
  });

  it('a malformed header is refused as not a .tar.gz, with the reason', async () => {
    await expect(check(gzipSync(Buffer.alloc(4096, 1)))).rejects.toThrow(/bad header checksum/);
  });
});
