// Release directory names: sortable by time (pruning keeps the newest by name) and unique per digest.

const RELEASE_ID = /^\d{8}T\d{6}Z-[0-9a-z]{1,64}$/;

/** 20261125T210501Z-9f86d081884c: UTC second of the deployment plus the digest's first 12 hex. */
export function makeReleaseId(when: Date, digest: string): string {
  const stamp = when
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  const tag = digest
    .toLowerCase()
    .replace(/[^0-9a-z]/g, '')
    .slice(0, 12);
  if (!tag) throw new Error('makeReleaseId: the digest has no usable characters');
  return `${stamp}-${tag}`;
}

/** Only names of this shape are created, pruned or switched to (they need no quoting care). */
export function isReleaseId(value: string): boolean {
  return RELEASE_ID.test(value);
}
