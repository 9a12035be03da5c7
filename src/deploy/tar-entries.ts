// Lists the members of a .tar.gz without unpacking it (ustar, GNU long names, pax), so the
// runner can refuse an unsafe artifact before a single byte is uploaded.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { READ_CHUNK } from './hash-stream.js';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo';

export interface TarEntry {
  path: string;
  type: TarEntryType;
  /** Target of a symlink or hardlink; '' otherwise. */
  linkname: string;
}

const BLOCK = 512;
const META_LIMIT = 1 << 20; // pax/GNU long-name records are tiny; a huge one is not a real archive

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function numeric(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if ((field[0] ?? 0) & 0x80) {
    // GNU base-256 for sizes of 8 GiB and more
    let value = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum === numeric(block, 148, 8);
}

function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (space === -1 || !(length > 0)) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

function entryType(flag: string): TarEntryType | 'skip' {
  if (flag === 'V') return 'skip'; // a volume label creates nothing
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  if (flag === '3' || flag === '4') return 'device';
  if (flag === '6') return 'fifo';
  return 'file'; // GNU tar unpacks unknown types (sparse, contiguous, …) as regular files
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

/**
 * Lists the members of an uncompressed tar stream fed in pieces (push), so an archive can be
 * checked while it passes on its way elsewhere; finish() says whether it ended properly.
 */
export class TarLister {
  readonly entries: TarEntry[] = [];
  /** The end-of-archive marker was seen: later bytes are padding. */
  ended = false;
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0; // data bytes (with padding) of the current member still to pass over
  private meta: { flag: string; size: number; chunks: Buffer[]; left: number } | undefined;
  private pax = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      this.ended = true; // end-of-archive marker
      return;
    }
    if (!checksumOk(block)) throw new TarFormatError('not a tar archive (bad header checksum)');
    const flag = String.fromCharCode(block[156] ?? 0).replace('\0', '');
    const size = numeric(block, 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'L' || flag === 'K') {
      if (size > META_LIMIT) throw new TarFormatError(`oversized ${flag} header (${size} bytes)`);
      this.meta = { flag, size, chunks: [], left: padded };
      return;
    }
    this.skip = flag === 'g' ? padded : ['1', '2', '3', '4', '5', '6'].includes(flag) ? 0 : padded;
    if (flag === 'g') return; // global pax defaults carry no per-member path
    const type = entryType(flag);
    const prefix = text(block, 257, 6).startsWith('ustar') ? text(block, 345, 155) : '';
    const name = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
    if (type !== 'skip') {
      this.entries.push({
        path: this.pax.get('path') ?? this.longName ?? name,
        type,
        linkname: this.pax.get('linkpath') ?? this.longLink ?? text(block, 157, 100),
      });
    }
    this.pax = new Map();
    this.longName = this.longLink = undefined;
  }

  private finishMeta(m: NonNullable<TarLister['meta']>): void {
    const data = Buffer.concat(m.chunks).subarray(0, m.size);
    if (m.flag === 'x') this.pax = paxRecords(data);
    else if (m.flag === 'L') this.longName = text(data, 0, data.length);
    else this.longLink = text(data, 0, data.length);
  }

  /** Takes the next bytes of the tar stream; throws TarFormatError on a malformed header. */
  push(chunk: Buffer): void {
    let data: Buffer = chunk;
    while (data.length > 0 && !this.ended) {
      if (this.meta) {
        const take = Math.min(this.meta.left, data.length);
        this.meta.chunks.push(data.subarray(0, take));
        this.meta.left -= take;
        data = data.subarray(take);
        if (this.meta.left === 0) {
          this.finishMeta(this.meta);
          this.meta = undefined;
        }
      } else if (this.skip > 0) {
        const take = Math.min(this.skip, data.length);
        this.skip -= take;
        data = data.subarray(take);
      } else {
        this.pending = Buffer.concat([this.pending, data]);
        data = Buffer.alloc(0);
        while (this.pending.length >= BLOCK && !this.meta && this.skip === 0 && !this.ended) {
          this.header(this.pending.subarray(0, BLOCK));
          this.pending = this.pending.subarray(BLOCK);
        }
        data = this.pending; // the rest belongs to the member just read (or the next header)
        this.pending = Buffer.alloc(0);
        if (!this.meta && this.skip === 0 && !this.ended) {
          this.pending = data; // less than a block: wait for more
          data = Buffer.alloc(0);
        }
      }
    }
  }

  /** Every member in archive order; throws TarFormatError when the archive is cut short. */
  finish(): TarEntry[] {
    if (!this.ended && (this.meta || this.skip > 0 || this.pending.length > 0)) {
      throw new TarFormatError('the archive is truncated');
    }
    return this.entries;
  }
}

/** Every member in archive order; rejects with TarFormatError when it is not a .tar.gz. */
export async function listTarGz(file: string): Promise<TarEntry[]> {
  const lister = new TarLister();
  const source = createReadStream(file, { highWaterMark: READ_CHUNK }).pipe(
    createGunzip({ chunkSize: READ_CHUNK }),
  );
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      lister.push(chunk);
      if (lister.ended) break;
    }
  } catch (error) {
    if (error instanceof TarFormatError) throw error;
    throw new TarFormatError(`not a gzip-compressed tar archive (${(error as Error).message})`);
  } finally {
    source.destroy();
  }
  return lister.finish();
}
