// Commits as full file trees, refs, merge bases, three-way merges and tree diffs.
import { createHash } from 'node:crypto';

/** A full file tree: path → text. */
export type Tree = Record<string, string>;
/** Changes to a tree: a null value deletes the path. */
export type TreeChanges = Record<string, string | null>;

export interface CommitRec {
  sha: string;
  tree: Tree;
  parents: string[];
  seq: number;
  /** Set for commits made through the git database API (POST /git/commits). */
  made?: { message: string; login: string; date: string };
}

export interface DiffEntry {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  previousFilename?: string;
  additions: number;
  deletions: number;
  /** Blob SHA of the new side (the old side for removals). */
  sha: string;
}

const HEX40 = /^[0-9a-f]{40}$/;

export function blobSha(text: string): string {
  const data = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${data.length}\0`), data]))
    .digest('hex');
}

/** A tree's SHA: deterministic in its entries, as git's is (not git's exact bytes). */
export function treeSha(tree: Tree): string {
  const entries = Object.keys(tree)
    .sort()
    .map((p) => [p, blobSha(tree[p] as string)]);
  return createHash('sha1')
    .update(`tree ${JSON.stringify(entries)}`)
    .digest('hex');
}

export function applyChanges(tree: Tree, changes: TreeChanges): Tree {
  const out: Tree = { ...tree };
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) delete out[path];
    else out[path] = text;
  }
  return out;
}

export class GitStore {
  readonly commits = new Map<string, CommitRec>();
  /** Full ref name (`refs/heads/main`, `refs/tags/v1`) → SHA. */
  readonly refs = new Map<string, string>();
  /** Every tree a commit has, by its SHA (what POST /git/commits may name). */
  readonly trees = new Map<string, Tree>();
  private seq = 0;

  /** Records a commit with exactly this tree; the SHA is deterministic (tree, parents, order). */
  commit(tree: Tree, parents: string[], made?: CommitRec['made']): string {
    const seq = ++this.seq;
    const entries = Object.keys(tree)
      .sort()
      .map((p) => [p, blobSha(tree[p] as string)]);
    const sha = createHash('sha1').update(JSON.stringify({ entries, parents, seq })).digest('hex');
    this.commits.set(sha, {
      sha,
      tree: { ...tree },
      parents: [...parents],
      seq,
      ...(made ? { made } : {}),
    });
    this.trees.set(treeSha(tree), { ...tree });
    return sha;
  }

  get(sha: string): CommitRec | undefined {
    return this.commits.get(sha);
  }

  tree(sha: string): Tree {
    const c = this.commits.get(sha);
    if (!c) throw new Error(`stand-in: no commit ${sha}`);
    return c.tree;
  }

  /** A branch, tag, full ref, `heads/x`, `tags/x` or a commit SHA (full, or a unique prefix ≥ 7). */
  resolve(ref: string): string | undefined {
    if (HEX40.test(ref) && this.commits.has(ref)) return ref;
    for (const name of [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = this.refs.get(name);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const hits = [...this.commits.keys()].filter((s) => s.startsWith(ref));
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  /** The full ref name of a branch or tag name (`main` → `refs/heads/main`), if it exists. */
  branchOrTag(ref: string): string | undefined {
    for (const name of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      if (/^refs\/(heads|tags)\//.test(name) && this.refs.has(name)) return name;
    }
    return undefined;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length > 0) {
      const s = todo.pop() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      todo.push(...(this.commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.ancestors(of).has(ancestor);
  }

  /** The newest common ancestor of a and b (undefined for unrelated histories). */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    let best: CommitRec | undefined;
    for (const s of this.ancestors(b)) {
      const c = this.commits.get(s);
      if (c && ofA.has(s) && (!best || c.seq > best.seq)) best = c;
    }
    return best?.sha;
  }

  /** Three-way merge of `theirs` into `ours`; conflicting paths keep ours and are listed. */
  merge(ours: string, theirs: string): { tree: Tree; conflicts: string[] } {
    const base = this.mergeBase(ours, theirs);
    const b = base ? this.tree(base) : {};
    const o = this.tree(ours);
    const t = this.tree(theirs);
    const tree: Tree = {};
    const conflicts: string[] = [];
    for (const p of new Set([...Object.keys(o), ...Object.keys(t), ...Object.keys(b)])) {
      const [bv, ov, tv] = [b[p], o[p], t[p]];
      let v: string | undefined;
      if (ov === tv || tv === bv) v = ov;
      else if (ov === bv) v = tv;
      else {
        conflicts.push(p);
        v = ov;
      }
      if (v !== undefined) tree[p] = v;
    }
    return { tree, conflicts: conflicts.sort() };
  }
}

function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Added and deleted line counts, like `git diff --numstat` (LCS; big files count as rewritten). */
export function lineChanges(
  before: string,
  after: string,
): { additions: number; deletions: number } {
  const a = lines(before);
  const b = lines(after);
  if (a.length * b.length > 4_000_000) return { additions: b.length, deletions: a.length };
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      cur[j] =
        a[i - 1] === b[j - 1]
          ? (prev[j - 1] as number) + 1
          : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    prev = cur;
  }
  const common = prev[b.length] as number;
  return { additions: b.length - common, deletions: a.length - common };
}

/** Files changed from `from` to `to`, sorted by path; identical content moved is a rename. */
export function diffTrees(from: Tree, to: Tree): DiffEntry[] {
  const added: string[] = [];
  const removed: string[] = [];
  const out: DiffEntry[] = [];
  for (const p of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const [f, t] = [from[p], to[p]];
    if (f === t) continue;
    if (f === undefined) added.push(p);
    else if (t === undefined) removed.push(p);
    else out.push({ filename: p, status: 'modified', sha: blobSha(t), ...lineChanges(f, t) });
  }
  for (const p of added) {
    const text = to[p] as string;
    const i = removed.findIndex((r) => from[r] === text);
    if (i >= 0) {
      const [prev] = removed.splice(i, 1) as [string];
      out.push({
        filename: p,
        status: 'renamed',
        previousFilename: prev,
        sha: blobSha(text),
        additions: 0,
        deletions: 0,
      });
    } else {
      out.push({ filename: p, status: 'added', sha: blobSha(text), ...lineChanges('', text) });
    }
  }
  for (const p of removed) {
    const text = from[p] as string;
    out.push({ filename: p, status: 'removed', sha: blobSha(text), ...lineChanges(text, '') });
  }
  return out.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}
