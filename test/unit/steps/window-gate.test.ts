// The window gate of /confirm on a hand-made VerifiedRequest: open passes, closed and frozen
// refuse with the next opening, and an emergency request skips it only when the environment's
// break-glass policy lists `windows` (the log says so).
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig, WindowsConfig } from '../../../src/config/types.js';
import type { EmergencySwitch } from '../../../src/policy/emergency-policy.js';
import { renderInline } from '../../../src/report/markdown.js';
import type { VerifiedRequest } from '../../../src/steps/verify-request.js';
import { windowGate } from '../../../src/steps/window-gate.js';
import { CONFIG, REQUEST } from '../../e2e/in-process/support.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';
import { contextWith, loaded, settingsFor } from '../support/run-context.js';

const WINDOWS: WindowsConfig = {
  timezone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00' }],
  freezes: [{ from: '2026-12-20', to: '2027-01-04', reason: 'holiday freeze' }],
};
const FRIDAY_EVENING = new Date('2026-12-04T16:00:00Z'); // 17:00 in Berlin
const SWITCH: EmergencySwitch = {
  pr: 7,
  environment: 'staging',
  reason: 'outage',
  by: 'dev',
  at: '2026-12-04T15:59:00Z',
};

function gate(
  now: Date,
  o: { windows?: WindowsConfig; emergency?: EmergencySwitch; mayskip?: boolean } = {},
) {
  const { config, request } = loaded(CONFIG, REQUEST);
  const environment: EnvironmentConfig = {
    ...config.environments.staging!,
    ...(o.windows ? { windows: o.windows } : {}),
    ...(o.mayskip === undefined
      ? {}
      : {
          emergency: {
            approvers: ['acme/oncall'],
            required: 1,
            may_skip: o.mayskip ? ['windows'] : ['stages'],
            review: { reviewers: ['acme/leads'], within_hours: 24 },
          },
        }),
  };
  const v = { request, environment, config, emergency: o.emergency } as VerifiedRequest;
  const fake = createFakeGitHub();
  const ctx = contextWith(fake.port, settingsFor(fake.gh, { apiUrl: 'https://x.invalid' }), now);
  const reason = windowGate(ctx, v);
  return { reason: reason && renderInline(reason), warnings: ctx.recorded.warning };
}

describe('windowGate', () => {
  it('no windows, or inside one: no refusal', () => {
    expect(gate(FRIDAY_EVENING).reason).toBeUndefined();
    expect(gate(new Date('2026-12-03T10:00:00Z'), { windows: WINDOWS }).reason).toBeUndefined();
  });

  it('outside the windows: refused with the next opening, by the given clock', () => {
    expect(gate(FRIDAY_EVENING, { windows: WINDOWS })).toEqual({
      reason:
        '`staging` is outside its deployment windows; confirm again from Mon 7 Dec 09:00 CET (Europe/Berlin).',
      warnings: [],
    });
  });

  it('an emergency skips the windows only when may_skip lists them', () => {
    expect(gate(FRIDAY_EVENING, { windows: WINDOWS, emergency: SWITCH, mayskip: true })).toEqual({
      reason: undefined,
      warnings: ['staging is outside its deployment windows; the emergency policy skips them.'],
    });
    const frozen = new Date('2026-12-21T10:00:00Z');
    expect(gate(frozen, { windows: WINDOWS, emergency: SWITCH, mayskip: true }).warnings).toEqual([
      'staging is frozen (holiday freeze); the emergency policy skips them.',
    ]);
    expect(
      gate(FRIDAY_EVENING, { windows: WINDOWS, emergency: SWITCH, mayskip: false }).reason,
    ).toContain('is outside its deployment windows');
    // A policy that may skip, but no emergency switched on for this request.
    expect(gate(frozen, { windows: WINDOWS, mayskip: true }).reason).toContain(
      'is frozen until Mon 4 Jan 2027 (holiday freeze)',
    );
  });
});
