// Canonical JSON: object keys sorted, no whitespace, so equal data always gives the same text
// (and the same digest) whatever order the YAML or the code built it in.

/** Like JSON.stringify (undefined members dropped, non-finite numbers as null) but key-sorted. */
export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') throw new TypeError('canonicalJson: BigInt is not JSON');
  if (typeof value !== 'object') return undefined; // undefined, functions, symbols
  if (seen.has(value)) throw new TypeError('canonicalJson: circular structure');
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item) => write(item, seen) ?? 'null').join(',')}]`;
  } else {
    const source = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(source).sort()) {
      const text = write(source[key], seen);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    out = `{${members.join(',')}}`;
  }
  seen.delete(value);
  return out;
}
