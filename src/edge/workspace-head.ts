// The commit checked out in GITHUB_WORKSPACE, read from .git without running git. A `path`
// artifact is only used when this is exactly the confirmed head (GITHUB_SHA is the default
// branch's commit in comment runs, so it cannot tell).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{40}$/;

export async function workspaceHead(workspace: string): Promise<string | null> {
  const gitDir = join(workspace, '.git');
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (SHA.test(head)) return head; // detached, as actions/checkout leaves a SHA checkout
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.includes('..')) return null;
  const loose = (await readFile(join(gitDir, ref), 'utf8').catch(() => '')).trim();
  if (SHA.test(loose)) return loose;
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
  const sha = line?.split(' ')[0] ?? '';
  return SHA.test(sha) ? sha : null;
}
