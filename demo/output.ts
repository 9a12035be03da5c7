// Where the demo writes: stdout, with colours when it is a terminal, wrapped to its width.
import { makeStyle, wantsColour, type Style } from './style.js';

export interface Out {
  readonly style: Style;
  /** Columns to wrap to. */
  readonly width: number;
  line(text?: string): void;
}

export function stdoutOut(): Out {
  const columns = process.stdout.isTTY ? process.stdout.columns : 0;
  return {
    style: makeStyle(wantsColour()),
    width: Math.max(60, Math.min(columns || 100, 120)),
    line: (text = '') => {
      process.stdout.write(`${text}\n`);
    },
  };
}

/** "1.2 s" / "850 ms". */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
