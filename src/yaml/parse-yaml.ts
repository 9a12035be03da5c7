// Safe YAML loading for files a pull request controls: size-capped before parsing, one document,
// no anchors or aliases (so no "billion laughs"), no custom tags, no duplicate keys, and a
// position for every node so problems point at the exact line and column.
import {
  CORE_SCHEMA,
  EVENT_ID,
  YAMLException,
  constructFromEvents,
  parseEvents,
  type Event,
} from 'js-yaml';
import type { Loaded, Problem } from '../problem.js';
import { codeSpan } from './code-span.js';
import { LineIndex, collectPositions, type Position, type PositionMap } from './positions.js';

/** Deploy-request files are small; anything larger is refused before the parser sees it. */
export const MAX_YAML_BYTES = 256 * 1024;
const MAX_DEPTH = 64;

export const ALIAS_MESSAGE = 'aliases and anchors are not allowed in deploy-request files';

export interface ParsedYaml {
  value: unknown;
  positions: PositionMap;
}

function fail(file: string, at: Position, message: string): { ok: false; problems: Problem[] } {
  return { ok: false, problems: [{ file, line: at.line, column: at.column, message }] };
}

/** The message for a file of `bytes` bytes over the limit (also used before reading a file). */
export function tooLargeMessage(bytes: number): string {
  const size =
    bytes >= 1024 * 1024
      ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
      : `${Math.ceil(bytes / 1024)} KiB`;
  return `file is too large (${size}); deploy-request files may be at most 256 KiB`;
}

function sizeProblem(text: string): string | undefined {
  // A string never has more UTF-16 units than UTF-8 bytes, so the length alone refuses large
  // inputs without walking them.
  const bytes = text.length > MAX_YAML_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  return bytes > MAX_YAML_BYTES ? tooLargeMessage(bytes) : undefined;
}

function firstAnchorOrAlias(events: readonly Event[]): number | undefined {
  for (const e of events) {
    if (e.type === EVENT_ID.ALIAS) return e.anchorStart - 1;
    if (
      (e.type === EVENT_ID.SCALAR || e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) &&
      e.anchorStart >= 0
    ) {
      return e.anchorStart - 1;
    }
  }
  return undefined;
}

/** Where the second document starts: its `---` marker, else its first node. */
function secondDocumentOffset(text: string, events: readonly Event[]): number {
  const first = events[0];
  const markers = [...text.matchAll(/^---(?=[ \t\r\n]|$)/gm)].map((m) => m.index);
  const marker = first?.type === EVENT_ID.DOCUMENT && first.explicitStart ? markers[1] : markers[0];
  if (marker !== undefined) return marker;
  let documents = 0;
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) documents++;
    else if (documents >= 2 && 'start' in e) return e.start;
    else if (documents >= 2 && e.type === EVENT_ID.SCALAR && e.valueStart >= 0) return e.valueStart;
  }
  return 0;
}

function describeYamlError(error: YAMLException, text: string): string {
  const reason = error.reason || 'invalid YAML';
  if (/duplicat/i.test(reason)) {
    const at = error.mark?.position ?? 0;
    const key = /^["']?([^"':\r\n]*)/.exec(text.slice(at, at + 200))?.[1]?.trim();
    return key
      ? `duplicate key ${codeSpan(key)}; each field may appear only once in a mapping`
      : 'duplicate key; each field may appear only once in a mapping';
  }
  if (/maxAliases|alias/i.test(reason)) return ALIAS_MESSAGE;
  if (/maxDepth/.test(reason)) return `nested too deeply (more than ${MAX_DEPTH} levels)`;
  if (/unknown .*tag/i.test(reason)) return `${reason}; custom YAML tags are not allowed`;
  return `YAML syntax error: ${reason}`;
}

/** Parses one YAML document safely. Never throws for any input string. */
export function parseYaml(text: string, file: string): Loaded<ParsedYaml> {
  const tooLarge = sizeProblem(text);
  if (tooLarge) return fail(file, { line: 1, column: 1 }, tooLarge);
  try {
    const events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
    const lines = new LineIndex(text);
    const anchor = firstAnchorOrAlias(events);
    if (anchor !== undefined) return fail(file, lines.at(Math.max(anchor, 0)), ALIAS_MESSAGE);
    const documents = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
    if (documents > 1) {
      return fail(
        file,
        lines.at(secondDocumentOffset(text, events)),
        'only one YAML document is allowed per file; remove the extra `---` and what follows',
      );
    }
    const values = constructFromEvents(events, {
      source: text,
      filename: file,
      schema: CORE_SCHEMA,
      maxAliases: 0,
    });
    const value = values[0];
    if (values.length === 0 || value === null || value === undefined) {
      return fail(file, { line: 1, column: 1 }, 'the file is empty; expected a mapping of fields');
    }
    return { ok: true, value: { value, positions: collectPositions(text, events) } };
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark;
      const at = mark ? { line: mark.line + 1, column: mark.column + 1 } : { line: 1, column: 1 };
      return fail(file, at, describeYamlError(error, text));
    }
    // js-yaml documents that any error may escape; a user file must still get a located answer.
    const message = error instanceof Error ? error.message : String(error);
    return fail(file, { line: 1, column: 1 }, `could not read the YAML: ${message}`);
  }
}
