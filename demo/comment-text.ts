// A comment as the demo prints it: the Markdown the action posted (rendered from data by
// src/report/markdown.ts), shown as it is with light terminal styling instead of being parsed a
// second time. Hidden HTML comments go, headings and **strong** text are bold, code is cyan,
// backslash escapes are undone outside code, a <details> block shows its summary.
import type { Style } from './style.js';

/** The text a reader sees: hidden HTML comments removed. */
export function stripHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->\n?/g, '');
}

/** Inline Markdown: code spans cyan (as they are), **strong** bold, links as their text. */
function inline(line: string, s: Style): string {
  const parts = line.split(/(?<!\\)(`+)(.+?)\1/); // an escaped \` opens no code span
  let out = '';
  // split with two groups: text, ticks, code, text, ticks, code, …
  for (let i = 0; i < parts.length; i += 3) {
    out += (parts[i] ?? '')
      .replace(/\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)/g, '$1')
      .replace(/\*\*((?:\\.|[^*\\])+)\*\*/g, (_, t: string) => s.bold(t))
      .replace(/\\([\\`*_[\]<>#|~])/g, '$1')
      .replace(/@\u200b/g, '@');
    const code = parts[i + 2];
    if (code !== undefined) out += s.cyan(code.replace(/^ (.*) $/, '$1'));
  }
  return out;
}

/** The comment's lines for the terminal. */
export function commentLines(markdown: string, s: Style): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of stripHtmlComments(markdown).trimEnd().split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? undefined : marker;
      continue; // the fence lines themselves say nothing to a reader
    }
    if (fence) out.push(`  ${s.cyan(line)}`);
    else if (/^#{1,6}\s/.test(line)) out.push(s.bold(inline(line.replace(/^#+\s+/, ''), s)));
    else if (/^\|(\s*-+\s*\|)+$/.test(line)) out.push(s.dim(line));
    else if (line.startsWith('<details>'))
      out.push(`▸ ${line.replace(/<\/?(details|summary)>/g, '')}`);
    else if (line !== '</details>') out.push(inline(line, s));
  }
  return out;
}
