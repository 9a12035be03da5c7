// Paths name a place in a loaded document the way users read it: `servers[1]`, `artifact.sha256`,
// `environments["eu.prod"].deploy`. The same spelling keys the YAML position map, the schema
// error messages and the semantic checks, so all three agree on where a problem is.

export type PathSegment = string | number;

// Keys with dots, brackets, quotes or spaces would read ambiguously, so they are quoted.
const PLAIN_KEY = /^[^.[\]"'`\s]+$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Splits an ajv `instancePath` (a JSON Pointer) into segments, using the data to tell list indexes
 * (numbers) from mapping keys that merely look numeric.
 */
export function pointerToSegments(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    }
  }
  return segments;
}

/** The value at `segments` inside `data`, or undefined. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let node: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isRecord(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else return undefined;
  }
  return node;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
