// The rollback plan and result as people read them (rendered from data, issue 15).
import { describe, expect, it } from 'vitest';
import {
  renderRollbackPlan,
  renderRollbackResult,
  rollbackNextStep,
  type RollbackResultView,
} from '../../../src/report/rollback-view.js';
import { renderMarkdown } from '../../../src/report/markdown.js';

const plan = {
  application: 'web',
  environment: 'staging',
  target: 'R1',
  expected: { 'web-1': 'R2', 'web-2': 'R2' },
  digest: '0123456789abcdef'.repeat(4),
  expiresAt: '2026-12-05T00:00:00.000Z',
  prefix: '/',
};

describe('rollback plan', () => {
  it('says what switches where and the exact command', () => {
    const body = renderRollbackPlan(plan);
    expect(body).toContain(
      'switch `current` to `R1` on web-1, web-2; run activate and health check',
    );
    expect(body).toContain('| web-1 | `R2` | `R1` |');
    expect(body).toContain('```\n/confirm 0123456789abcdef\n```');
    expect(renderMarkdown([{ kind: 'paragraph', text: rollbackNextStep(plan) }])).toContain(
      'comments `/confirm 0123456789abcdef` (before 2026-12-05T00:00:00.000Z)',
    );
  });
});

describe('what the target was', () => {
  it.each([
    [
      { release: '1.4.1', pullRequest: 3, at: '2026-12-01T10:00:00Z' },
      '`R1` is release `1.4.1` deployed from \\#3 at 2026-12-01T10:00:00Z.',
    ],
    [{ pullRequest: 3 }, '`R1` is the release deployed from \\#3.'],
    [{ release: '1.4.1', at: null }, '`R1` is release `1.4.1` deployed.'],
  ])('%j', (was, want) => {
    expect(renderRollbackPlan({ ...plan, was })).toContain(want);
  });
  it('an entry that says neither adds nothing', () => {
    expect(renderRollbackPlan({ ...plan, was: { at: 'x' } })).toBe(renderRollbackPlan(plan));
  });
});

describe('rollback result', () => {
  const row = { health: 'failed' as const, durationMs: 1500 };
  const view: RollbackResultView = {
    ok: false,
    application: 'web',
    environment: 'staging',
    target: 'R1',
    rows: [
      { ...row, server: 'web-1', ok: false, from: 'R2', switched: true, switchedBack: false },
      {
        ...row,
        server: 'web-2',
        ok: false,
        switched: false,
        switchedBack: false,
        durationMs: undefined,
      },
      {
        ...row,
        server: 'web-3',
        ok: false,
        switched: true,
        switchedBack: true,
        error: 'health check failed',
      },
    ],
    untouched: ['web-4'],
    runUrl: 'https://github.example/run/1',
  };
  it('each server: left on the target, not switched, switched back, not started', () => {
    const body = renderRollbackResult(view);
    expect(body).toContain('Some servers could not be switched back; see the table.');
    expect(body).toContain('| web-1 | ❌ failed, left on `R1` | `R2` | failed | 1.5 s |');
    expect(body).toContain('| web-2 | ⏭️ not switched | — | failed | — |');
    expect(body).toContain(
      '| web-3 | ↩️ switched back to `its release` | — | failed | 1.5 s | health check failed |',
    );
    expect(body).toContain('| web-4 | ⏭️ not started |');
  });
  it('every failed server back: says so, with the reason', () => {
    const body = renderRollbackResult({
      ...view,
      rows: [view.rows[2]!],
      reason: 'web-3 failed its health check.',
    });
    expect(body).toContain(
      'Every server is on the release it had before: web-3 failed its health check.',
    );
  });
});
