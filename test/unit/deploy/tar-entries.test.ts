// The tar reader on archives built byte by byte: every header type, pax and GNU long records,
// base-256 sizes, the ustar prefix, and the ways an archive can be broken.
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listTarGz, TarFormatError } from '../../../src/deploy/tar-entries.js';
import { assertSafeTarball } from '../../../src/deploy/tar-safety.js';

interface Member {
  name: string;
  flag: string;
  data?: Buffer | string;
  linkname?: string;
  prefix?: string;
  /** Write the size field in GNU base-256. */
  base256?: boolean;
  /** Size field value when it must differ from the data (e.g. a huge declared size). */
  size?: number;
}

function header(m: Member): Buffer {
  const block = Buffer.alloc(512);
  const data = Buffer.from(m.data ?? '');
  block.write(m.name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  const size = m.size ?? data.length;
  if (m.base256) {
    block[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      block[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(m.flag, 156);
  block.write(m.linkname ?? '', 157, 100, 'utf8');
  block.write('ustar\0', 257);
  block.write('00', 263);
  if (m.prefix) block.write(m.prefix, 345, 155, 'utf8');
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function member(m: Member): Buffer {
  const data = Buffer.from(m.data ?? '');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header(m), padded]);
}

function pax(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([k, v]) => {
      const body = ` ${k}=${v}\n`;
      let len = body.length;
      while (`${len}${body}`.length !== len) len = `${len}${body}`.length;
      return `${len}${body}`;
    })
    .join('');
}

async function archive(
  parts: Buffer[],
  o: { end?: boolean; gzip?: boolean } = {},
): Promise<string> {
  const tar = Buffer.concat([...parts, ...(o.end === false ? [] : [Buffer.alloc(1024)])]);
  const file = join(await mkdtemp(join(tmpdir(), 'dr-tar-')), 'a.tar.gz');
  await writeFile(file, o.gzip === false ? tar : gzipSync(tar));
  return file;
}

describe('listTarGz', () => {
  it('every member type; volume labels and global pax headers create nothing', async () => {
    const file = await archive([
      member({ name: 'label', flag: 'V' }),
      member({ name: 'g', flag: 'g', data: pax({ comment: 'global' }) }),
      member({ name: 'f.txt', flag: '0', data: 'hello' }),
      member({ name: 'old.txt', flag: '\0', data: 'x' }),
      member({ name: 'dir/', flag: '5' }),
      member({ name: 's', flag: '2', linkname: 'f.txt' }),
      member({ name: 'h', flag: '1', linkname: 'f.txt' }),
      member({ name: 'c', flag: '3' }),
      member({ name: 'b', flag: '4' }),
      member({ name: 'p', flag: '6' }),
      member({ name: 'sparse', flag: 'S', data: 'y' }),
    ]);
    expect((await listTarGz(file)).map((e) => [e.path, e.type, e.linkname])).toEqual([
      ['f.txt', 'file', ''],
      ['old.txt', 'file', ''],
      ['dir/', 'directory', ''],
      ['s', 'symlink', 'f.txt'],
      ['h', 'hardlink', 'f.txt'],
      ['c', 'device', ''],
      ['b', 'device', ''],
      ['p', 'fifo', ''],
      ['sparse', 'file', ''],
    ]);
  });

  it('pax path and linkpath, GNU long name and long link, the ustar prefix', async () => {
    const longName = `${'n'.repeat(150)}.txt`;
    const longLink = `${'t'.repeat(150)}`;
    const file = await archive([
      member({
        name: 'x',
        flag: 'x',
        data: `${pax({ path: 'pax/path.txt', linkpath: 'pax-target' })}9 junk\n`,
      }),
      member({ name: 'ignored', flag: '2' }),
      member({ name: '././@LongLink', flag: 'L', data: `${longName}\0` }),
      member({ name: '././@LongLink', flag: 'K', data: `${longLink}\0` }),
      member({ name: 'short', flag: '2' }),
      member({ name: 'leaf.txt', flag: '0', prefix: 'deep/prefix', data: 'z' }),
      member({ name: 'x', flag: 'x', data: 'garbage without length' }),
      member({ name: 'after-bad-pax', flag: '0' }),
    ]);
    expect((await listTarGz(file)).map((e) => [e.path, e.linkname])).toEqual([
      ['pax/path.txt', 'pax-target'],
      [longName, longLink],
      ['deep/prefix/leaf.txt', ''],
      ['after-bad-pax', ''],
    ]);
  });

  it('a base-256 size is read (the data is skipped by it)', async () => {
    const file = await archive([
      member({ name: 'big', flag: '0', data: 'a'.repeat(600), base256: true }),
      member({ name: 'next', flag: '0' }),
    ]);
    expect((await listTarGz(file)).map((e) => e.path)).toEqual(['big', 'next']);
  });

  it('stops at the end marker even if bytes follow', async () => {
    const file = await archive(
      [member({ name: 'a', flag: '0' }), Buffer.alloc(512), Buffer.from('trailing junk')],
      {
        end: false,
      },
    );
    expect((await listTarGz(file)).map((e) => e.path)).toEqual(['a']);
  });

  it.each([
    [
      'no end marker after a member’s data',
      () => archive([member({ name: 'a', flag: '0', data: 'x' }).subarray(0, 700)], { end: false }),
    ],
    [
      'half a header',
      () => archive([member({ name: 'a', flag: '0' }).subarray(0, 100)], { end: false }),
    ],
    [
      'a long-name record cut short',
      () =>
        archive([member({ name: 'L', flag: 'L', data: 'n'.repeat(600) }).subarray(0, 800)], {
          end: false,
        }),
    ],
  ])('%s: truncated', async (_, make) => {
    await expect(listTarGz(await make())).rejects.toThrow(
      new TarFormatError('the archive is truncated'),
    );
  });

  it('an oversized pax header is not a real archive', async () => {
    const file = await archive([member({ name: 'x', flag: 'x', size: 2 << 20 })], { end: false });
    await expect(listTarGz(file)).rejects.toThrow('oversized x header (2097152 bytes)');
  });

  it('an empty header size field counts as 0', async () => {
    const block = header({ name: 'e', flag: '0' });
    block.fill(0, 124, 136);
    block.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    expect((await listTarGz(await archive([block]))).map((e) => e.path)).toEqual(['e']);
  });

  it('unsafe members are listed in the refusal, five at most', async () => {
    const members = Array.from({ length: 7 }, (_, i) => member({ name: `/abs/${i}`, flag: '0' }));
    await expect(assertSafeTarball(await archive(members))).rejects.toThrow(
      /it would write outside the release directory: .*\/abs\/0.*\/abs\/4.* \(and 2 more\)$/,
    );
  });
});
