// A small Markdown-to-terminal renderer for the comments the action posts (GitHub-flavoured
// subset): headings in bold, tables as aligned boxes, lists, code in a distinct colour, links,
// mentions, <details>, block quotes; HTML comments are hidden. No dependency.
import { displayWidth, narrowEmoji, padEnd, type Style } from './style.js';

export interface RenderOptions {
  /** Columns available (lines are wrapped to it; tables shrink their widest columns). */
  width: number;
  style: Style;
}

interface Piece {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  link?: boolean;
  mention?: boolean;
  /** A space the wrapper put between two words. */
  space?: boolean;
}

type Align = 'left' | 'right' | 'center';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; lang: string; lines: string[] }
  | { kind: 'table'; header: string[]; align: Align[]; rows: string[][] }
  | { kind: 'list'; items: { indent: number; marker: string; text: string }[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Renders Markdown to terminal lines (with ANSI styles when `style` has colours on). */
export function renderMarkdown(markdown: string, o: RenderOptions): string[] {
  const blocks = parseBlocks(stripHtmlComments(markdown));
  const out: string[] = [];
  for (const block of blocks) {
    const lines = renderBlock(block, o);
    if (lines.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(...lines);
  }
  return out;
}

export function stripHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, '');
}

// --- blocks ------------------------------------------------------------------------------------

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const startsBlock = (line: string, next: string | undefined) =>
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    LIST_ITEM.test(line) ||
    /^\s*>/.test(line) ||
    /^\s*<\/?details\b/i.test(line) ||
    (line.trim().startsWith('|') && next !== undefined && TABLE_DELIMITER.test(next));
  while (i < lines.length) {
    const line = lines[i] as string;
    const next = lines[i + 1];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] as string;
      const body: string[] = [];
      for (i++; i < lines.length; i++) {
        const l = lines[i] as string;
        if (
          l.trim().startsWith(marker[0]!.repeat(marker.length)) &&
          l.trim().replace(/[`~]/g, '') === ''
        )
          break;
        body.push(l);
      }
      i++; // the closing fence
      blocks.push({ kind: 'code', lang: fence[2] ?? '', lines: body });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2] ?? '' });
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && next !== undefined && TABLE_DELIMITER.test(next)) {
      const header = splitRow(line);
      const align = splitRow(next).map((cell): Align => {
        const c = cell.trim();
        if (c.startsWith(':') && c.endsWith(':')) return 'center';
        return c.endsWith(':') ? 'right' : 'left';
      });
      const rows: string[][] = [];
      for (i += 2; i < lines.length && (lines[i] as string).trim().startsWith('|'); i++)
        rows.push(splitRow(lines[i] as string));
      blocks.push({ kind: 'table', header, align, rows });
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: { indent: number; marker: string; text: string }[] = [];
      for (; i < lines.length; i++) {
        const l = lines[i] as string;
        const item = LIST_ITEM.exec(l);
        if (item) {
          items.push({ indent: item[1]!.length, marker: item[2] as string, text: item[3] ?? '' });
        } else if (l.trim() !== '' && /^\s+/.test(l) && items.length > 0) {
          items[items.length - 1]!.text += ` ${l.trim()}`; // a continuation line
        } else break;
      }
      blocks.push({ kind: 'list', items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i] as string); i++)
        body.push((lines[i] as string).replace(/^\s*> ?/, ''));
      blocks.push({ kind: 'quote', text: body.join('\n') });
      continue;
    }
    if (/^\s*<\/?details\b/i.test(line)) {
      // <details><summary>…</summary>: GitHub shows the summary with a disclosure triangle.
      const summary = /<summary>([\s\S]*?)<\/summary>/i.exec(line);
      if (summary) blocks.push({ kind: 'paragraph', text: `▸ **${summary[1]}**` });
      i++;
      continue;
    }
    const para: string[] = [line];
    for (i++; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.trim() === '' || startsBlock(l, lines[i + 1])) break;
      para.push(l);
    }
    blocks.push({ kind: 'paragraph', text: para.map((l) => l.trim()).join('\n') });
  }
  return blocks;
}

/** Cells of a table row; `\|` is a literal pipe inside a cell (also inside code spans). */
export function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i] as string;
    if (c === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

// --- inline ------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Inline Markdown to styled pieces; '\n' in a piece is a hard line break. */
export function parseInline(src: string): Piece[] {
  const out: Piece[] = [];
  const state = { bold: false, italic: false, strike: false };
  let buf = '';
  const flush = () => {
    if (buf) out.push({ text: buf, ...state });
    buf = '';
  };
  const push = (text: string, extra: Partial<Piece>) => {
    flush();
    out.push({ text, ...state, ...extra });
  };
  const source = src.replace(/\n/g, ' ');
  for (let i = 0; i < source.length;) {
    const c = source[i] as string;
    const rest = source.slice(i);
    if (c === '\\' && /^[!-/:-@[-`{-~]$/.test(source[i + 1] ?? '')) {
      buf += source[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = (/^`+/.exec(rest) as RegExpExecArray)[0];
      const close = findRun(source, i + run.length, run.length);
      if (close >= 0) {
        let code = source.slice(i + run.length, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '')
          code = code.slice(1, -1);
        push(code, { code: true });
        i = close + run.length;
      } else {
        buf += run;
        i += run.length;
      }
      continue;
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      flush();
      state.bold = !state.bold;
      i += 2;
      continue;
    }
    if (rest.startsWith('~~')) {
      flush();
      state.strike = !state.strike;
      i += 2;
      continue;
    }
    if (c === '*' || c === '_') {
      const prev = source[i - 1] ?? ' ';
      const next = source[i + 1] ?? ' ';
      const wordEdge = (ch: string) => c === '*' || /[\s\p{P}]/u.test(ch);
      const opens =
        !state.italic && /\S/.test(next) && wordEdge(prev) && source.indexOf(c, i + 2) > 0;
      const closes = state.italic && /\S/.test(prev) && wordEdge(next);
      if (opens || closes) {
        flush();
        state.italic = !state.italic;
        i++;
        continue;
      }
    }
    const link = /^(!?)\[((?:\\.|[^\]\\])*)\]\(([^()\s]*)\)/.exec(rest);
    if (link) {
      flush();
      if (link[1]) out.push({ text: `[image: ${link[2]}]`, ...state, link: true });
      else
        for (const p of parseInline(link[2] ?? ''))
          out.push({ ...p, ...orState(p, state), link: true });
      i += link[0].length;
      continue;
    }
    if (c === '<') {
      const auto = /^<(https?:\/\/[^>\s]+)>/.exec(rest);
      if (auto) {
        push(auto[1] as string, { link: true });
        i += auto[0].length;
        continue;
      }
      const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/.exec(rest);
      if (tag) {
        const name = (tag[2] as string).toLowerCase();
        flush();
        if (name === 'br') out.push({ text: '\n' });
        else if (name === 'b' || name === 'strong') state.bold = !tag[1];
        else if (name === 'i' || name === 'em') state.italic = !tag[1];
        i += tag[0].length;
        continue;
      }
    }
    if (c === '&') {
      const entity = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.exec(rest);
      const name = entity?.[1];
      if (name) {
        const decoded = name.startsWith('#')
          ? String.fromCodePoint(
              name[1] === 'x' || name[1] === 'X'
                ? parseInt(name.slice(2), 16)
                : parseInt(name.slice(1), 10),
            )
          : ENTITIES[name.toLowerCase()];
        if (decoded !== undefined) {
          buf += decoded;
          i += (entity as RegExpExecArray)[0].length;
          continue;
        }
      }
    }
    if (c === '@' && !/[A-Za-z0-9]/.test(source[i - 1] ?? '')) {
      const mention = /^@[A-Za-z0-9](?:[A-Za-z0-9-]|\[bot\])*(?:\/[A-Za-z0-9_.-]+)?/.exec(rest);
      if (mention) {
        push(mention[0], { mention: true });
        i += mention[0].length;
        continue;
      }
    }
    if (c === '\u200b') {
      i++; // the action puts a zero-width space after @ in data, so that it mentions nobody
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

function orState(p: Piece, s: { bold: boolean; italic: boolean; strike: boolean }): Partial<Piece> {
  return { bold: p.bold || s.bold, italic: p.italic || s.italic, strike: p.strike || s.strike };
}

/** Index of the next run of exactly `n` backticks from `from`, or -1. */
function findRun(s: string, from: number, n: number): number {
  for (let i = from; i < s.length;) {
    if (s[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (s[j] === '`') j++;
    if (j - i === n) return i;
    i = j;
  }
  return -1;
}

function stylePiece(p: Piece, s: Style): string {
  let t = narrowEmoji(p.text);
  if (p.code) t = s.cyan(t);
  if (p.mention) t = s.blue(t);
  if (p.link) t = s.underline(s.blue(t));
  if (p.bold || p.mention) t = s.bold(t);
  if (p.italic) t = s.italic(t);
  if (p.strike) t = s.strike(t);
  return t;
}

// --- wrapping ----------------------------------------------------------------------------------

type Token = { kind: 'word'; parts: Piece[] } | { kind: 'space' } | { kind: 'break' };

function tokens(pieces: Piece[]): Token[] {
  const out: Token[] = [];
  let word: Piece[] | undefined;
  for (const p of pieces) {
    for (const part of p.text.split(/(\n| +)/)) {
      if (part === '') continue;
      if (part === '\n' || /^ +$/.test(part)) {
        word = undefined;
        out.push({ kind: part === '\n' ? 'break' : 'space' });
      } else {
        if (!word) {
          word = [];
          out.push({ kind: 'word', parts: word });
        }
        word.push({ ...p, text: part });
      }
    }
  }
  return out;
}

/** Pieces wrapped at spaces to `width` columns (words longer than that are cut). */
export function wrapPieces(pieces: Piece[], width: number, s: Style): string[] {
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let used = 0;
  let space = false;
  const end = () => {
    lines.push(line);
    line = [];
    used = 0;
    space = false;
  };
  for (const t of tokens(pieces)) {
    if (t.kind === 'break') end();
    else if (t.kind === 'space') space = used > 0;
    else {
      const w = t.parts.reduce((n, p) => n + displayWidth(narrowEmoji(p.text)), 0);
      if (used > 0 && used + (space ? 1 : 0) + w > width) end();
      if (space && used > 0) {
        line.push({ text: ' ', space: true });
        used++;
      }
      space = false;
      if (w <= width - used) {
        line.push(...t.parts);
        used += w;
        continue;
      }
      for (const p of t.parts) {
        let chunk = '';
        for (const ch of narrowEmoji(p.text)) {
          const cw = displayWidth(ch);
          if (used + cw > width && used > 0) {
            line.push({ ...p, text: chunk });
            chunk = '';
            end();
          }
          chunk += ch;
          used += cw;
        }
        line.push({ ...p, text: chunk });
      }
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines.map((pieces) => styleLine(pieces, s));
}

const styleKey = (p: Piece) =>
  [p.bold, p.italic, p.strike, p.code, p.link, p.mention].map((f) => (f ? 1 : 0)).join('');

/** Styles a line, one escape sequence per run of equally styled text (a space joins its run). */
function styleLine(pieces: Piece[], s: Style): string {
  const runs: Piece[] = [];
  pieces.forEach((p, i) => {
    let piece = p;
    if (p.space) {
      const before = pieces[i - 1];
      const after = pieces[i + 1];
      piece =
        before && after && styleKey(before) === styleKey(after)
          ? { ...before, text: ' ' }
          : { text: ' ' };
    }
    const last = runs[runs.length - 1];
    if (last && styleKey(last) === styleKey(piece)) last.text += piece.text;
    else runs.push({ ...piece });
  });
  return runs.map((p) => stylePiece(p, s)).join('');
}

// --- rendering ---------------------------------------------------------------------------------

function renderBlock(block: Block, o: RenderOptions): string[] {
  const s = o.style;
  switch (block.kind) {
    case 'heading': {
      const pieces = parseInline(block.text).map((p) => ({ ...p, bold: true }));
      const lines = wrapPieces(pieces, o.width, s);
      return block.level <= 2 ? lines.map((l) => s.underline(l)) : lines;
    }
    case 'paragraph':
      return wrapPieces(parseInline(block.text), o.width, s);
    case 'code': {
      const label = block.lang === 'mermaid' ? [s.dim('(a Mermaid diagram; GitHub draws it)')] : [];
      return [...label, ...block.lines.map((l) => `  ${s.cyan(l.replace(/\t/g, '  '))}`)];
    }
    case 'rule':
      return [s.dim('─'.repeat(Math.min(o.width, 40)))];
    case 'quote':
      return renderMarkdown(block.text, { ...o, width: o.width - 2 }).map(
        (l) => `${s.dim('│')} ${s.dim(l)}`,
      );
    case 'list':
      return block.items.flatMap((item) => {
        const depth = Math.min(3, Math.floor(item.indent / 2));
        const ordered = /\d/.test(item.marker);
        let text = item.text;
        let bullet = ordered ? item.marker : depth % 2 === 0 ? '•' : '◦';
        const task = /^\[([ xX])\]\s+/.exec(text);
        if (task) {
          bullet = task[1] === ' ' ? '☐' : '☑';
          text = text.slice(task[0].length);
        }
        const indent = '  '.repeat(depth);
        const hang = indent + ' '.repeat(displayWidth(bullet) + 1);
        const lines = wrapPieces(parseInline(text), Math.max(10, o.width - hang.length), s);
        return lines.map((l, i) => (i === 0 ? `${indent}${bullet} ${l}` : `${hang}${l}`));
      });
    case 'table':
      return renderTable(block, o);
  }
}

function renderTable(
  t: { header: string[]; align: Align[]; rows: string[][] },
  o: RenderOptions,
): string[] {
  const s = o.style;
  const cols = Math.max(t.header.length, ...t.rows.map((r) => r.length));
  const showHeader = t.header.some((h) => h.trim() !== '');
  const cell = (row: string[], c: number, bold: boolean) =>
    parseInline(row[c] ?? '').map((p) => (bold ? { ...p, bold: true } : p));
  const rows = [...(showHeader ? [t.header] : []), ...t.rows];
  const parsed = rows.map((row, r) =>
    Array.from({ length: cols }, (_, c) => cell(row, c, showHeader && r === 0)),
  );
  const natural = (pieces: Piece[]) =>
    pieces.reduce((n, p) => n + displayWidth(narrowEmoji(p.text)), 0);
  const widths = Array.from({ length: cols }, (_, c) =>
    Math.max(1, ...parsed.map((row) => natural(row[c] ?? []))),
  );
  // Shrink the widest columns until the table fits (cells then wrap onto more lines): first
  // down to their longest word, then, when that is not enough, cutting words.
  const longestWord = (pieces: Piece[]) =>
    Math.max(
      0,
      ...tokens(pieces).map((t) =>
        t.kind === 'word' ? t.parts.reduce((n, p) => n + displayWidth(narrowEmoji(p.text)), 0) : 0,
      ),
    );
  const minimum = Array.from({ length: cols }, (_, c) =>
    Math.min(20, Math.max(1, ...parsed.map((row) => longestWord(row[c] ?? [])))),
  );
  const available = o.width - (3 * cols + 1);
  for (const floor of [(c: number) => minimum[c] as number, () => 6]) {
    while (widths.reduce((a, b) => a + b, 0) > available) {
      const shrinkable = widths.map((w, c) => (w > floor(c) ? w : -1));
      const widest = shrinkable.indexOf(Math.max(...shrinkable));
      if ((shrinkable[widest] as number) < 0) break;
      widths[widest]!--;
    }
  }
  const border = (l: string, m: string, r: string) =>
    s.dim(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r);
  const bar = s.dim('│');
  const out = [border('┌', '┬', '┐')];
  parsed.forEach((row, r) => {
    const wrapped = row.map((pieces, c) => wrapPieces(pieces, widths[c] as number, s));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let line = 0; line < height; line++) {
      const cells = wrapped.map((w, c) =>
        align(w[line] ?? '', widths[c] as number, t.align[c] ?? 'left'),
      );
      out.push(`${bar} ${cells.join(` ${bar} `)} ${bar}`);
    }
    if (showHeader && r === 0) out.push(border('├', '┼', '┤'));
  });
  out.push(border('└', '┴', '┘'));
  return out;
}

function align(text: string, width: number, how: Align): string {
  const gap = Math.max(0, width - displayWidth(text));
  if (how === 'right') return ' '.repeat(gap) + text;
  if (how === 'center')
    return ' '.repeat(Math.floor(gap / 2)) + padEnd(text, width - Math.floor(gap / 2));
  return padEnd(text, width);
}
