/** A user-caused error located in a file: what is wrong, where, and how to fix it. */
export interface Problem {
  /** Repository-relative path (or the path given on the command line). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** What is wrong and how to fix it, e.g. "`servers[1]`: `web-9` is not a server of environment `staging`; known: web-1, web-2". */
  message: string;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}
