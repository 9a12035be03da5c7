// Comment commands (SPEC §3): only the first line counts, with the configured prefix.
// Pure: returns what was asked, or null when the comment is not for us.

export type Command =
  | { kind: 'confirm'; digest: string }
  | { kind: 'recheck' }
  | { kind: 'cancel' }
  | { kind: 'help' }
  | { kind: 'unknown'; word: string };

const MAX_LINE = 200;

export function parseCommand(body: string, prefix: string): Command | null {
  const firstLine = body
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .trim();
  if (!prefix || !firstLine.startsWith(prefix) || firstLine.length > MAX_LINE) return null;
  const [word = '', ...args] = firstLine.slice(prefix.length).trim().split(/\s+/);
  if (!/^[a-z][a-z-]*$/i.test(word)) return null;
  switch (word.toLowerCase()) {
    case 'confirm':
      return { kind: 'confirm', digest: (args[0] ?? '').toLowerCase() };
    case 'recheck':
      return { kind: 'recheck' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', word };
  }
}
