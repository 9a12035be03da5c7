// Host key pinning: the config's `host_key` line is the only key a server may present.
import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';

export interface PinnedHostKey {
  type: string;
  blob: Buffer;
  /** As `ssh-keygen -lf` prints it: SHA256:<base64 without padding>. */
  fingerprint: string;
}

// The algorithms ssh2 may negotiate for each key type; offering only these makes the server
// present the pinned type even when it also has keys of other types.
const ALGORITHMS: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written inside a public key blob (its first SSH string). */
export function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

export function hostKeyAlgorithms(type: string): ServerHostKeyAlgorithm[] {
  return ALGORITHMS[type] ?? ['ssh-ed25519'];
}

/**
 * Parses "ssh-ed25519 AAAA... [comment]" (also accepts a known_hosts / ssh-keyscan line with
 * the host name in front). Returns a reason when the line cannot pin anything.
 */
export function parseHostKeyLine(line: string | undefined): PinnedHostKey | { error: string } {
  const words = (line ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { error: 'empty' };
  const at = words.findIndex((word) => word in ALGORITHMS);
  if (at < 0 || at > 1) {
    return {
      error: `not a public key line (expected "ssh-ed25519 AAAA…", "ssh-rsa AAAA…" or "ecdsa-sha2-nistp256 AAAA…")`,
    };
  }
  const type = words[at]!;
  const data = words[at + 1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data))
    return { error: `${type} key without valid base64 data` };
  const blob = Buffer.from(data, 'base64');
  if (blobType(blob) !== type) return { error: `${type} key whose data is not a ${type} key` };
  return { type, blob, fingerprint: fingerprint(blob) };
}
