// The one module that turns report data into Markdown. Views describe blocks; only this file
// knows Markdown syntax and escaping, so user-provided text can never break a table or a comment.

export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; text: string }
  | { kind: 'paragraph'; text: Inline[] }
  | { kind: 'table'; headers: string[]; rows: Inline[][][] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'details'; summary: string; blocks: Block[] };

/** Inline pieces: plain text is escaped, `code` is shown literally, `strong`, `link`, `mention`. */
export type Inline =
  | string
  | { code: string }
  | { strong: string }
  | { link: string; href: string }
  | { mention: string };

export const text = (...parts: Inline[]): Block => ({ kind: 'paragraph', text: parts });

/**
 * Our messages mark names and commands with backticks ("did you mean `sha256`?"): each paired
 * span becomes a code span, the rest stays escaped text (an unpaired backtick is shown as is).
 */
export function prose(message: string): Inline[] {
  const parts = message.split('`');
  if (parts.length < 3) return [message];
  const unpaired = parts.length % 2 === 0 ? `\`${parts.pop()!}` : '';
  const inline: Inline[] = parts.map((part, i) => (i % 2 === 1 ? { code: part } : part));
  if (unpaired) inline.push(unpaired);
  return inline.filter((part) => part !== '');
}

export function renderMarkdown(blocks: Block[]): string {
  return blocks.map(renderBlock).join('\n\n') + '\n';
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${escapeText(block.text)}`;
    case 'paragraph':
      return renderInline(block.text);
    case 'table':
      return [
        `| ${block.headers.map((h) => escapeCell(h)).join(' | ')} |`,
        `|${block.headers.map(() => ' --- ').join('|')}|`,
        ...block.rows.map(
          (row) => `| ${row.map((cell) => escapeCell(renderInline(cell), true)).join(' | ')} |`,
        ),
      ].join('\n');
    case 'list':
      return block.items.map((item) => `- ${renderInline(item)}`).join('\n');
    case 'code': {
      const fence =
        longestRun(block.text, '`') >= 3 ? '`'.repeat(longestRun(block.text, '`') + 1) : '```';
      return `${fence}${block.lang}\n${block.text}\n${fence}`;
    }
    case 'details':
      return `<details><summary>${escapeHtml(block.summary)}</summary>\n\n${block.blocks.map(renderBlock).join('\n\n')}\n\n</details>`;
  }
}

export function renderInline(parts: Inline[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeText(part);
      if ('code' in part) return inlineCode(part.code);
      if ('strong' in part) return `**${escapeText(part.strong)}**`;
      if ('mention' in part) return `@${part.mention.replace(/[^A-Za-z0-9_/.[\]-]/g, '')}`;
      return `[${escapeText(part.link)}](${encodeHref(part.href)})`;
    })
    .join('');
}

/** Inline parts as one line of plain text (for the log and the outcome's message). */
export function plainText(parts: Inline[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('code' in part) return `\`${part.code}\``;
      if ('strong' in part) return part.strong;
      if ('mention' in part) return `@${part.mention}`;
      return part.link;
    })
    .join('');
}

/** A link destination without ( ) or spaces, which would end or break it (encodeURIComponent
 * leaves parentheses as they are). */
function encodeHref(href: string): string {
  return href.replace(/[()\s]/g, (c) =>
    c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c),
  );
}

function inlineCode(value: string): string {
  const single = value.replace(/\r?\n/g, ' ');
  if (!single) return ''; // `` would show two literal backticks
  const ticks = '`'.repeat(longestRun(single, '`') + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${single}${pad}${ticks}`;
}

function longestRun(value: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of value) {
    run = c === char ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** Escapes Markdown and HTML that user text could use to change the comment's structure. */
export function escapeText(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b'); // no accidental mentions from data
}

function escapeCell(value: string, alreadyInline = false): string {
  const cell = alreadyInline ? value : escapeText(value);
  return cell.replace(/(?<!\\)\|/g, '\\|') || ' ';
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
