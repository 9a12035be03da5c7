// Deployment windows as people read them: the state line, the refusal, the prompt's small print,
// and where the sticky comment and the prompt show them.
import { describe, expect, it } from 'vitest';
import type { WindowsConfig } from '../../../src/config/types.js';
import { windowState, type WindowState } from '../../../src/policy/windows.js';
import { renderConfirmation } from '../../../src/report/confirmation-view.js';
import { renderMarkdown, renderInline } from '../../../src/report/markdown.js';
import type { Plan } from '../../../src/request/plan.js';
import { renderStatusComment } from '../../../src/report/status-view.js';
import {
  localMoment,
  windowBlocks,
  windowLine,
  windowRefusal,
  windowSummary,
} from '../../../src/report/window-view.js';

const HOLIDAYS = { from: '2026-12-20', to: '2027-01-04', reason: 'holiday freeze' };
const BERLIN: WindowsConfig = {
  timezone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00' }],
  freezes: [HOLIDAYS],
};

const summary = (rule: WindowsConfig, now: string) =>
  windowSummary(rule, windowState(rule, new Date(now)), new Date(now));

describe('windowSummary', () => {
  it.each([
    ['open, closing today', BERLIN, '2026-12-03T10:00:00Z', 'open until 16:00 CET (Europe/Berlin)'],
    [
      'closed on Friday evening',
      BERLIN,
      '2026-12-04T16:00:00Z',
      'closed — next opens Mon 7 Dec 09:00 CET (Europe/Berlin)',
    ],
    [
      'frozen over the new year: dates outside this year show the year',
      BERLIN,
      '2026-12-21T10:00:00Z',
      'frozen until Mon 4 Jan 2027 (holiday freeze) — next opens Tue 5 Jan 2027 09:00 CET (Europe/Berlin)',
    ],
    [
      'open until a freeze starts',
      { ...BERLIN, allow: [] },
      '2026-12-04T16:00:00Z',
      'open until the freeze from Sun 20 Dec (holiday freeze) (Europe/Berlin)',
    ],
    [
      'open, never closing; UTC is not repeated',
      { timezone: 'UTC', allow: [], freezes: [] },
      '2026-12-04T16:00:00Z',
      'open',
    ],
    [
      'open until another day, in summer time',
      {
        timezone: 'America/New_York',
        allow: [
          { days: ['fri'], from: '09:00', to: '24:00' },
          { days: ['sat'], from: '00:00', to: '12:00' },
        ],
        freezes: [],
      },
      '2027-06-04T20:00:00Z',
      'open until Sat 5 Jun 12:00 EDT (America/New_York)',
    ],
    [
      'a zone without letters shows its offset',
      {
        timezone: 'Asia/Kolkata',
        allow: [{ days: ['mon'], from: '10:00', to: '18:30' }],
        freezes: [],
      },
      '2026-12-04T13:30:00Z',
      'closed — next opens Mon 7 Dec 10:00 GMT+5:30 (Asia/Kolkata)',
    ],
    [
      'never opening',
      { ...BERLIN, freezes: [{ from: '2026-01-01', to: '2030-12-31', reason: 'sunset' }] },
      '2026-12-04T16:00:00Z',
      'frozen until Tue 31 Dec 2030 (sunset) — no window opens in the next 400 days (Europe/Berlin)',
    ],
  ] as const)('%s', (_name, rule, now, expected) => {
    expect(summary(rule as WindowsConfig, now)).toBe(expected);
  });

  it('a freeze date that is not a date (refused by the config check) is shown as written', () => {
    const state: WindowState = { open: false, freeze: { from: 'x', to: 'soon', reason: 'r' } };
    expect(windowSummary(BERLIN, state, new Date('2026-12-04T16:00:00Z'))).toBe(
      'frozen until soon (r) — no window opens in the next 400 days (Europe/Berlin)',
    );
  });

  it('localMoment: today only the time', () => {
    const now = new Date('2026-12-04T08:00:00Z');
    expect(localMoment(new Date('2026-12-04T15:00:00Z'), 'Europe/Berlin', now)).toBe('16:00 CET');
  });
});

describe('the line, the refusal, the small print', () => {
  const now = new Date('2026-12-04T16:00:00Z');

  it('the line names the environment as code', () => {
    expect(renderInline(windowLine('production', BERLIN, windowState(BERLIN, now), now))).toBe(
      '`production`: closed — next opens Mon 7 Dec 09:00 CET (Europe/Berlin)',
    );
  });

  it.each([
    [
      'outside the windows',
      BERLIN,
      now,
      '`production` is outside its deployment windows; confirm again from Mon 7 Dec 09:00 CET (Europe/Berlin).',
    ],
    [
      'in a freeze',
      BERLIN,
      new Date('2026-12-21T10:00:00Z'),
      '`production` is frozen until Mon 4 Jan 2027 (holiday freeze); confirm again from Tue 5 Jan 2027 09:00 CET (Europe/Berlin).',
    ],
    [
      'never opening: where to change it',
      {
        ...BERLIN,
        allow: [{ days: ['mon' as const], from: '09:00', to: '10:00' }],
        freezes: [{ from: '2026-01-01', to: '2030-12-31', reason: 'sunset' }],
      },
      now,
      '`production` is frozen until Tue 31 Dec 2030 (sunset); no window opens in the next 400 days: change `windows` of environment `production` in `.github/deploy-request.yml`.',
    ],
  ])('refusal %s', (_name, rule, at, expected) => {
    const state = windowState(rule, at);
    if (state.open) throw new Error('expected closed');
    expect(
      renderInline(windowRefusal('production', rule, state, at, '.github/deploy-request.yml')),
    ).toBe(expected);
  });

  it.each([
    [{ open: true }, ''],
    [
      { open: false, opensAt: new Date('2026-12-07T08:00:00Z') },
      ' Until it opens, `/confirm` is refused; this prompt stays open.',
    ],
    [
      { open: false, opensAt: new Date('2026-12-09T08:00:00Z') },
      ' Until it opens, `/confirm` is refused; this prompt stays open, but expires first: comment `/recheck` for a new one.',
    ],
    [{ open: false }, ' Until it opens, `/confirm` is refused; this prompt stays open.'],
  ])('small print %#', (window, closed) => {
    expect(renderMarkdown(windowBlocks(window, '2026-12-08T00:00:00.000Z', '/'))).toBe(
      '**🕘 Deployment windows:** the rule is part of the environment’s configuration, which the digest binds. `/confirm` is judged by GitHub’s clock when it arrives; a deployment that has started is never interrupted by a window closing.' +
        closed +
        '\n',
    );
  });
});

describe('where it shows', () => {
  it('the sticky comment: a Window paragraph before the servers; none without windows', () => {
    const md = renderStatusComment({
      phase: 'awaiting-confirmation',
      window: [{ code: 'production' }, ': open until 16:00 CET (Europe/Berlin)'],
      nextStep: ['x'],
    });
    expect(md).toContain('**🕘 Window:** `production`: open until 16:00 CET (Europe/Berlin)\n');
    expect(renderStatusComment({ phase: 'awaiting-confirmation', nextStep: ['x'] })).not.toContain(
      'Window',
    );
  });

  it('the prompt: a Window row and the small print', () => {
    const plan: Plan = {
      application: 'web',
      release: '1.4.2',
      environment: 'production',
      reason: 'r',
      artifact: { url: 'https://x/web.tgz', sha256: 'ab'.repeat(32) },
      servers: [],
      batches: [['web-1']],
      stages: [],
      checks: [],
      variables: {},
    };
    const md = renderConfirmation({
      plan,
      digest: '0123456789abcdef'.repeat(4),
      expiresAt: '2026-12-05T16:00:00.000Z',
      requester: 'dev',
      prefix: '/',
      results: [],
      approvers: ['tina'],
      headSha: 'f'.repeat(40),
      window: {
        line: [{ code: 'production' }, ': closed — next opens Mon 7 Dec 09:00 CET'],
        open: false,
        opensAt: new Date('2026-12-07T08:00:00Z'),
      },
    });
    expect(md).toContain('| Window | `production`: closed — next opens Mon 7 Dec 09:00 CET |');
    expect(md).toContain('which the digest binds');
    expect(md).toContain('but expires first: comment `/recheck` for a new one.');
  });
});
