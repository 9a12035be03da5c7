// What each `pattern` of the two schemas means, in words a user can act on. Keyed by the exact
// pattern text in the schema (test/unit/yaml/pattern-hints.test.ts checks every pattern has one).
import type { PatternHint } from './schema-messages.js';
import { relativePathProblem } from './relative-path.js';

const NAME =
  "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. `web-1`)";

function sha256Hint(value: unknown): string {
  const base =
    'must be 64 lowercase hex characters (the SHA-256 of the artifact, e.g. from `sha256sum`)';
  if (typeof value !== 'string') return base;
  if (/^[0-9a-fA-F]{64}$/.test(value)) return `${base}; write it in lower case`;
  return `${base}; got ${value.length} characters`;
}

function deployPathHint(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('~')) {
    return "must be absolute (`/srv/web`) or relative to the login user's home (`apps/web`); `~` is not expanded";
  }
  if (typeof value === 'string' && value.split('/').includes('..')) {
    return 'must not contain a `..` segment';
  }
  return "must be a single-line path, absolute or relative to the login user's home";
}

export const PATTERN_HINTS: Readonly<Record<string, PatternHint>> = {
  '^([01][0-9]|2[0-3]):[0-5][0-9]$':
    'must be a time of day as HH:MM on a 24-hour clock (e.g. `09:00`)',
  '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$':
    'must be a time of day as HH:MM on a 24-hour clock (e.g. `16:00`; `24:00` is the end of the day)',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'must be a date as YYYY-MM-DD (e.g. `2026-12-20`), quoted or not',
  '^[a-z0-9][a-z0-9._-]*$': NAME,
  '^[A-Za-z0-9][A-Za-z0-9._-]*$':
    "must be letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. `web`)",
  '^[A-Za-z0-9][A-Za-z0-9._+-]*$':
    "must be letters, digits, '.', '_', '+' or '-', starting with a letter or digit (e.g. `1.4.2`)",
  '^https://': 'must be an https:// URL (plain http is refused)',
  '^[0-9a-f]{64}$': sha256Hint,
  '^(?![/~])(?!.*\\\\)(?!(?:.*/)?\\.\\.(?:/|$)).+$': (value) =>
    relativePathProblem(value) ?? 'must be a relative path',
  '^[A-Z][A-Z0-9_]*$':
    'must be an upper-case variable name like `FEATURE_CHECKOUT` (A-Z, 0-9 and _, starting with a letter)',
  '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$':
    "must be a GitHub login (letters, digits and '-', at most 39 characters)",
  '^[A-Za-z0-9][A-Za-z0-9-]{0,38}(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$':
    'must be a GitHub login (e.g. `alice`) or an org/team slug (e.g. `acme/ops`)',
  '^0?[0-7]{3,4}$': 'must be an octal file mode written as a quoted string, e.g. "0750"',
  '^[A-Za-z0-9_][A-Za-z0-9_.-]*$': "must be a user name (letters, digits, '_', '.' or '-')",
  '^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$': 'must be `user` or `user:group`',
  '^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$':
    'must be an OpenSSH public key line such as "ssh-ed25519 AAAAC3Nz..." (type ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa; get it with `ssh-keyscan -t ed25519 HOST`)',
  '^[A-Za-z0-9._+-]+$': 'must be a program name (no spaces or slashes)',
  '^(?!~)(?!(?:.*/)?\\.\\.(?:/|$))[^\\u0000\\n]+$': deployPathHint,
};
