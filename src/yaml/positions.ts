// Walks js-yaml's event stream (which carries source offsets) and records, for every node, where
// its value starts and where its key is, so any problem can point at the exact line and column.
import { EVENT_ID, SCALAR_STYLE, type Event, type ScalarEvent, getScalarValue } from 'js-yaml';
import { formatPath, type PathSegment } from './path.js';

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

export interface NodePosition {
  /** Where the value starts (the opening quote, `[`, `{`, block indicator or first key). */
  value?: Position;
  /** Where the mapping key of this value is (absent for list items and the root). */
  key?: Position;
  /** The scalar exactly as written, e.g. `0750` for a value YAML reads as 750. */
  raw?: string;
}

export type PositionMap = ReadonlyMap<string, NodePosition>;

/** Converts 0-based source offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** A byte-order mark is invisible in editors, so it does not count as a column. */
  private readonly bom: boolean;

  constructor(text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.starts.push(i + 1);
  }

  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - (this.starts[lo] ?? 0) + 1;
    return { line: lo + 1, column: lo === 0 && this.bom ? Math.max(column - 1, 1) : column };
  }
}

interface Frame {
  kind: 'map' | 'seq';
  segments: PathSegment[];
  count: number;
  /** For maps: the key just read, waiting for its value. */
  key?: { name: string; offset: number; end: number };
}

/** Offset where a scalar visibly starts: before its tag, quote or block indicator. */
function scalarStart(text: string, e: ScalarEvent, after: number): number {
  if (e.tagStart >= 0) return e.tagStart;
  if (e.valueStart < 0) return -1;
  if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) {
    return e.valueStart - 1;
  }
  if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
    // The event points at the content; the `|` or `>` header sits between `after` and it.
    for (let i = Math.max(after, 0); i < e.valueStart; i++) {
      const c = text[i];
      if (c === '#') i = text.indexOf('\n', i) < 0 ? e.valueStart : text.indexOf('\n', i);
      else if (c === '|' || c === '>') return i;
    }
  }
  return e.valueStart;
}

function eventStart(text: string, e: Event, after: number): number {
  if (e.type === EVENT_ID.SCALAR) return scalarStart(text, e, after);
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
    return e.tagStart >= 0 ? Math.min(e.tagStart, e.start) : e.start;
  }
  return -1;
}

/** Builds the position map of the first document of `events` (the only one we accept). */
export function collectPositions(
  text: string,
  events: readonly Event[],
): Map<string, NodePosition> {
  const lines = new LineIndex(text);
  const positions = new Map<string, NodePosition>();
  const stack: Frame[] = [];
  let lastEnd = 0;

  const record = (segments: PathSegment[], start: number, key?: Frame['key'], raw?: string) => {
    const entry: NodePosition = {};
    if (start >= 0) entry.value = lines.at(start);
    // An empty explicit key (`? ` alone) has no text to point at; the locator falls back to the map.
    if (key && key.offset >= 0) entry.key = lines.at(key.offset);
    if (raw !== undefined) entry.raw = raw;
    positions.set(formatPath(segments), entry);
  };

  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) {
      if (positions.size > 0) break;
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    // A scalar in key position of a mapping: remember it for the value that follows.
    if (top?.kind === 'map' && !top.key) {
      if (e.type === EVENT_ID.SCALAR) {
        top.key = {
          name: getScalarValue(text, e),
          offset: scalarStart(text, e, lastEnd),
          end: e.valueEnd,
        };
        lastEnd = Math.max(lastEnd, e.valueEnd);
      } else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
        // Complex keys are refused when constructing; just keep the stack balanced.
        stack.push({ kind: e.type === EVENT_ID.MAPPING ? 'map' : 'seq', segments: [], count: 0 });
        top.key = { name: '', offset: e.start, end: e.start };
      }
      continue;
    }
    let segments: PathSegment[] = [];
    let key: Frame['key'];
    if (top?.kind === 'map' && top.key) {
      key = top.key;
      segments = [...top.segments, key.name];
      top.key = undefined;
    } else if (top?.kind === 'seq') {
      segments = [...top.segments, top.count++];
    }
    const start = eventStart(text, e, key ? key.end : lastEnd);
    if (e.type === EVENT_ID.SCALAR) {
      const raw = e.valueStart >= 0 ? text.slice(e.valueStart, e.valueEnd) : '';
      record(segments, start, key, raw);
      lastEnd = Math.max(lastEnd, e.valueEnd);
    } else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      record(segments, start, key);
      stack.push({ kind: e.type === EVENT_ID.MAPPING ? 'map' : 'seq', segments, count: 0 });
      lastEnd = Math.max(lastEnd, start);
    }
  }
  return positions;
}
