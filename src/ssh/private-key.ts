// Validates the ssh-private-key input before any connection, with messages a user can act on.
// Messages never quote the key (invariant 8): only its kind and public fingerprint.
import ssh2, { type ParsedKey } from 'ssh2';
import { fingerprint } from './host-key.js';

export type ParsedPrivateKey =
  | {
      ok: true;
      key: string;
      /** The decrypted key, for ssh2 to use as is: connections never decrypt it again. */
      parsed: ParsedKey;
      type: string;
      fingerprint: string;
    }
  | { ok: false; message: string };

/**
 * A key that passed parsePrivateKey. Decrypting an OpenSSH-format key runs bcrypt-pbkdf in
 * JavaScript (hundreds of ms, blocking): a run decrypts once and hands this to its connector.
 */
export type ValidPrivateKey = Extract<ParsedPrivateKey, { ok: true }>;

const PASTE_HINT =
  'paste the private key, the block starting with -----BEGIN OPENSSH PRIVATE KEY-----';
const PUBLIC_LINE = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp\d+|sk-[\w@.-]+)\s+AAAA/;
const PUBLIC_BLOCK = /^-----BEGIN (SSH2 |RSA |)PUBLIC KEY-----|^---- BEGIN SSH2 PUBLIC KEY ----/;

function fail(message: string): ParsedPrivateKey {
  return { ok: false, message };
}

/** Line endings, indentation (YAML block scalars) and a missing final newline are fixed up; the
 * caller has trimmed the text, so it neither starts nor ends with a blank line. */
function normalise(text: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim());
  return `${lines.join('\n')}\n`;
}

function explain(error: Error): string {
  const text = error.message;
  if (/no passphrase given/i.test(text)) {
    return 'the private key is encrypted; set the ssh-passphrase input (from a secret) or use a key without a passphrase';
  }
  if (/bad passphrase|integrity check failed|bad decrypt/i.test(text)) {
    return 'the private key could not be decrypted: the passphrase (ssh-passphrase) is wrong';
  }
  if (/Unsupported|not supported/i.test(text)) {
    return `this private key format is not supported (${text.replace(/: .*/, '')}); convert it with ssh-keygen -p -f <key> (writes the OpenSSH format)`;
  }
  return `the private key is damaged (${text.replace(/: .*/, '')}); copy the whole file again, from -----BEGIN to -----END`;
}

export function parsePrivateKey(text: string | undefined, passphrase?: string): ParsedPrivateKey {
  const raw = (text ?? '').trim();
  if (raw === '') return fail('the SSH private key is empty; set ssh-private-key from a secret');
  const publicLine = PUBLIC_LINE.exec(raw);
  if (publicLine) return fail(`this is a public key (${publicLine[1]} AAAA…); ${PASTE_HINT}`);
  if (PUBLIC_BLOCK.test(raw))
    return fail(`this is a public key (PEM public key block); ${PASTE_HINT}`);
  if (!raw.includes('\n') && raw.includes('\\n')) {
    return fail(
      'the private key contains literal "\\n" sequences instead of line breaks (it was escaped on ' +
        'the way into the secret); store the key file unchanged, e.g. gh secret set SSH_KEY < ~/.ssh/id_ed25519',
    );
  }
  if (!/^(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-)/.test(raw)) {
    return fail(
      'not a private key: expected an OpenSSH (-----BEGIN OPENSSH PRIVATE KEY-----) or PEM ' +
        '(-----BEGIN RSA PRIVATE KEY-----, -----BEGIN EC PRIVATE KEY-----) block',
    );
  }
  if (/^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(raw)) {
    return fail(
      'this is a PKCS#8 key (-----BEGIN PRIVATE KEY-----), which the SSH library cannot read; ' +
        'convert it with ssh-keygen -p -f <key> (writes the OpenSSH format)',
    );
  }
  const key = normalise(raw);
  const parsed = ssh2.utils.parseKey(key, passphrase || undefined);
  if (parsed instanceof Error) return fail(explain(parsed));
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first || !first.isPrivateKey()) return fail(`not a private key; ${PASTE_HINT}`);
  const print = fingerprint(first.getPublicSSH());
  return { ok: true, key, parsed: first, type: first.type, fingerprint: print };
}
