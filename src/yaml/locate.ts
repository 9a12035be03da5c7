// Turns "what is wrong at which path" into a Problem with a line and column: unknown fields point
// at their key, missing fields at the mapping that lacks them, everything else at the value.
import type { Problem } from '../problem.js';
import { codeSpan } from './code-span.js';
import { formatPath, valueAt, type PathSegment } from './path.js';
import type { ParsedYaml } from './parse-yaml.js';
import type { Position } from './positions.js';

/** A file with more problems than this is not worth listing in full. */
export const MAX_PROBLEMS = 100;

/**
 * - `key`: the field's key (unknown field, bad name);
 * - `value`: the value (scalars) or its key (lists and mappings, where the key line reads best);
 * - `parent`: the mapping that contains the path (missing field).
 */
export type Anchor = 'key' | 'value' | 'parent';

export interface Issue {
  path: readonly PathSegment[];
  anchor: Anchor;
  message: string;
}

export class Locator {
  constructor(
    private readonly parsed: ParsedYaml,
    private readonly file: string,
  ) {}

  position(path: readonly PathSegment[], anchor: Anchor): Position {
    let segments = anchor === 'parent' ? path.slice(0, -1) : [...path];
    let mode: Anchor = anchor;
    for (;;) {
      const entry = this.parsed.positions.get(formatPath(segments));
      const data = valueAt(this.parsed.value, segments);
      const collection = typeof data === 'object' && data !== null;
      const found =
        mode === 'key' || collection ? (entry?.key ?? entry?.value) : (entry?.value ?? entry?.key);
      if (found) return found;
      if (segments.length === 0) return { line: 1, column: 1 };
      segments = segments.slice(0, -1);
      mode = 'parent';
    }
  }

  /** The value as written in the file, for hints like `quote it: "0750"`. */
  raw(path: readonly PathSegment[]): string | undefined {
    return this.parsed.positions.get(formatPath(path))?.raw;
  }

  problem(issue: Issue): Problem {
    const at = this.position(issue.path, issue.anchor);
    const label = formatPath(issue.path);
    const message = label === '' ? issue.message : `${codeSpan(label)}: ${issue.message}`;
    return { file: this.file, line: at.line, column: at.column, message };
  }

  /**
   * One problem per place (the first issue wins), sorted by line then column, at most
   * MAX_PROBLEMS: past that, one last line says how many more there are.
   */
  problems(issues: readonly Issue[]): Problem[] {
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const issue of issues) {
      // A key and its value are different places: a bad name and a bad value both show.
      const key = `${formatPath(issue.path)}${issue.anchor === 'key' ? '#key' : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(this.problem(issue));
    }
    out.sort((a, b) => a.line - b.line || a.column - b.column);
    if (out.length <= MAX_PROBLEMS) return out;
    const shown = out.slice(0, MAX_PROBLEMS - 1);
    const next = out[MAX_PROBLEMS - 1] as Problem;
    const more = out.length - shown.length;
    return [
      ...shown,
      {
        ...next,
        message: `${more} more problems from here on are not shown; fix the ones above first`,
      },
    ];
  }
}
