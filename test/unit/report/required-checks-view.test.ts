// require_checks in the sticky comment: a table of the named checks; the title says CI is why.
import { describe, expect, it } from 'vitest';
import { builtFrom, requiredChecksBlocks } from '../../../src/report/required-checks-view.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderStatusComment } from '../../../src/report/status-view.js';

const view = {
  commit: 'abcdef0123456789abcdef0123456789abcdef01',
  what: 'the head commit',
  passed: false,
  checks: [
    { name: 'build', state: 'success', detail: 'completed: success' },
    { name: 'test', state: 'failure', detail: 'completed: timed_out' },
    { name: 'lint', state: 'pending', detail: 'in_progress' },
    { name: 'e2e', state: 'missing', detail: 'not reported' },
  ],
} as const;

describe('required checks view', () => {
  it('a table of every named check, its state and what GitHub says', () => {
    const md = renderMarkdown(requiredChecksBlocks({ ...view, checks: [...view.checks] }));
    expect(md).toContain('#### Required checks: 1 of 4 passed');
    expect(md).toContain('Read on `abcdef012345` (the head commit).');
    expect(md).toContain('| `build` | success | `completed: success` | ✅ |');
    expect(md).toContain('| `test` | failure | `completed: timed_out` | ❌ |');
    expect(md).toContain('| `lint` | pending | `in_progress` | ⏳ |');
    expect(md).toContain('| `e2e` | missing | `not reported` | ❔ |');
  });

  it('the prompt line marks each check', () => {
    expect(builtFrom({ ...view, checks: [...view.checks] })).toEqual([
      'built from ',
      { code: 'abcdef0' },
      ' — build ✓ test ✗ lint … e2e ? (the head commit)',
    ]);
  });

  it('the sticky comment: the title says the required checks have not passed; passed checks keep the phase title', () => {
    const failed = renderStatusComment({
      phase: 'checks-failed',
      requiredChecks: { ...view, checks: [...view.checks] },
      nextStep: ['comment `/recheck`.'],
    });
    expect(failed).toMatch(/^### ❌ Deploy request: required checks have not passed\n/);
    expect(failed).toContain('| `test` | failure | `completed: timed_out` | ❌ |');
    const passed = renderStatusComment({
      phase: 'awaiting-confirmation',
      requiredChecks: { ...view, passed: true, checks: [view.checks[0]] },
      nextStep: ['confirm.'],
    });
    expect(passed).toMatch(/^### 🟡 Deploy request: awaiting confirmation\n/);
    expect(passed).toContain('#### Required checks: 1 of 1 passed');
  });
});
