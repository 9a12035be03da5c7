// The commit checked out in the workspace, read from .git: detached HEAD, a loose branch ref,
// a packed ref; anything else (no checkout, a ref escaping .git, garbage) is null.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceHead } from '../../../src/edge/workspace-head.js';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dr-ws-head-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, '.git', path, '..'), { recursive: true });
    writeFileSync(join(dir, '.git', path), text);
  }
  return dir;
}

describe('workspaceHead', () => {
  it('a detached HEAD (actions/checkout of a SHA)', async () => {
    expect(await workspaceHead(workspace({ HEAD: `${SHA}\n` }))).toBe(SHA);
  });

  it('a branch with a loose ref', async () => {
    const ws = workspace({ HEAD: 'ref: refs/heads/main\n', 'refs/heads/main': `${SHA}\n` });
    expect(await workspaceHead(ws)).toBe(SHA);
  });

  it('a branch in packed-refs', async () => {
    const ws = workspace({
      HEAD: 'ref: refs/heads/main\n',
      'packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/other\n${SHA} refs/heads/main\n`,
    });
    expect(await workspaceHead(ws)).toBe(SHA);
  });

  it.each([
    ['no .git', {}],
    ['garbage HEAD', { HEAD: 'hello\n' }],
    ['a ref that climbs out of .git', { HEAD: 'ref: refs/../../etc\n' }],
    ['a branch with no commit yet', { HEAD: 'ref: refs/heads/main\n' }],
    [
      'a packed ref that is not a SHA',
      { HEAD: 'ref: refs/heads/main\n', 'packed-refs': 'xyz refs/heads/main\n' },
    ],
  ])('%s: null', async (_, files) => {
    expect(await workspaceHead(workspace(files))).toBeNull();
  });
});
