// require_checks as people see it: the table of the named checks in the sticky comment, and the
// "built from <commit> — build ✓ test ✓" line of the prompt. Data in, blocks out.
import type { CheckState, RequiredCheck } from '../policy/required-checks.js';
import type { Block, Inline } from './markdown.js';

export interface RequiredChecksView {
  /** The commit the checks were read on. */
  commit: string;
  /** Where it came from: `the head commit`, `tag v1.4.2`. */
  what: string;
  checks: RequiredCheck[];
  passed: boolean;
}

const MARK: Record<CheckState, string> = {
  success: '✓',
  failure: '✗',
  pending: '…',
  missing: '?',
};

const ICON: Record<CheckState, string> = {
  success: '✅',
  failure: '❌',
  pending: '⏳',
  missing: '❔',
};

export function requiredChecksBlocks(view: RequiredChecksView): Block[] {
  const passing = view.checks.filter((c) => c.state === 'success').length;
  return [
    {
      kind: 'heading',
      level: 4,
      text: `Required checks: ${passing} of ${view.checks.length} passed`,
    },
    {
      kind: 'paragraph',
      text: ['Read on ', { code: view.commit.slice(0, 12) }, ` (${view.what}).`],
    },
    {
      kind: 'table',
      headers: ['Check', 'State', 'GitHub says', ''],
      rows: view.checks.map((c) => [
        [{ code: c.name }],
        [c.state],
        [{ code: c.detail }],
        [ICON[c.state]],
      ]),
    },
  ];
}

/** `built from abc1234 — build ✓ test ✓ (tag v1.4.2)` */
export function builtFrom(view: RequiredChecksView): Inline[] {
  const marks = view.checks.map((c) => `${c.name} ${MARK[c.state]}`).join(' ');
  return ['built from ', { code: view.commit.slice(0, 7) }, ` — ${marks} (${view.what})`];
}
