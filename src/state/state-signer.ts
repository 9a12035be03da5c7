// Authenticates the facts the trusted run stores in GitHub objects (invariant 11). The pull
// request's own workflow writes with the same `github-actions[bot]` identity as ours, so "written by
// the bot" proves nothing; a MAC under a key that only trusted jobs hold does. The key is derived
// from the SSH private key (HKDF with a fixed label, per repository), so users need no new secret.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { RepoRef } from '../github/port.js';
import { canonicalJson } from '../request/canonical.js';
import type { ValidPrivateKey } from '../ssh/private-key.js';

export interface StateSigner {
  /** A short MAC (22 base64url characters, 128 bits) of a record's canonical JSON. */
  mac(record: object): string;
  verify(record: object, mac: string): boolean;
}

const HKDF_SALT = 'deploy-request/state';
const MAC_BYTES = 16;

/** `secret` is the SSH private key's bytes; `scope` (the repository) keeps keys apart per repo. */
export function createStateSigner(secret: Buffer, scope: string): StateSigner {
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `v1 ${scope.toLowerCase()}`, 32));
  const mac = (record: object): string =>
    createHmac('sha256', key)
      .update(canonicalJson(record))
      .digest()
      .subarray(0, MAC_BYTES)
      .toString('base64url');
  return {
    mac,
    verify(record, given) {
      const want = Buffer.from(mac(record));
      const got = Buffer.from(given);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}

/** The state key of a deployment key, per repository (HKDF of the decrypted private key). */
export function stateSignerFor(key: ValidPrivateKey, repo: RepoRef): StateSigner {
  return createStateSigner(Buffer.from(key.parsed.getPrivatePEM()), `${repo.owner}/${repo.repo}`);
}
