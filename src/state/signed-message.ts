// The commit-message format of the records a trusted run keeps on branches (holds, emergency
// switches): a readable title and text for people browsing the branch, then the facts as one JSON
// line and their MAC (invariant 11). Only the signed JSON line counts; everything above it is
// for people. Anyone with write access can push such a branch, so a reader verifies first.
import type { GitHubPort } from '../github/port.js';
import type { StateSigner } from './state-signer.js';

const TAG = /^\[dr1:([A-Za-z0-9_-]{22})\]$/;

/** The message: title, text, the facts' JSON line and its MAC. */
export function signedMessage(
  signer: StateSigner,
  title: string,
  text: string,
  facts: Record<string, unknown>,
): string {
  return [title, '', text, '', JSON.stringify(facts), `[dr1:${signer.mac(facts)}]`].join('\n');
}

/**
 * The facts line and MAC of a message of `kind` (the facts' `k`), not yet verified: the caller
 * rebuilds its record from fields of the right types and verifies that record's facts.
 */
export function readSignedLines(
  message: string,
  kind: string,
): { facts: Record<string, unknown>; mac: string } | { why: string } {
  const lines = message.trimEnd().split('\n');
  const mac = TAG.exec(lines.at(-1)!)?.[1];
  if (!mac || lines.length < 2) return { why: 'its commit message carries no signature' };
  let facts: unknown;
  try {
    facts = JSON.parse(lines.at(-2)!);
  } catch {
    return { why: `its commit message carries no ${kind} facts` };
  }
  const f = (facts ?? {}) as Record<string, unknown>;
  if (f.k !== kind) return { why: `its commit message carries no ${kind} facts` };
  return { facts: f, mac };
}

export const NOT_TRUSTED =
  'its signature does not verify (not written by a trusted deploy-request run)';

/** The tree of the default branch's tip: a record's commit needs one and changes nothing with it. */
export async function tipTree(
  github: Pick<GitHubPort, 'getDefaultBranch' | 'getRefSha' | 'getCommit'>,
): Promise<string> {
  const branch = await github.getDefaultBranch();
  const tip = await github.getRefSha(`heads/${branch}`);
  const commit = tip === null ? null : await github.getCommit(tip);
  if (!commit) throw new Error(`Cannot read the tip of the default branch ${branch}.`);
  return commit.treeSha;
}

/**
 * The commit a record's branch points at, parsed by `parse` (which verifies): `none` without the
 * branch; a commit that cannot be read is a record that does not verify.
 */
export async function readBranchRecord<T>(
  github: Pick<GitHubPort, 'getRefSha' | 'getCommit'>,
  ref: string,
  parse: (message: string) => T | { why: string },
): Promise<{ kind: 'none' } | { kind: 'found'; sha: string; read: T | { why: string } }> {
  const sha = await github.getRefSha(ref);
  if (sha === null) return { kind: 'none' };
  const commit = await github.getCommit(sha);
  return {
    kind: 'found',
    sha,
    read: commit ? parse(commit.message) : { why: 'its commit cannot be read' },
  };
}
