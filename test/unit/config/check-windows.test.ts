// The `windows` rules a schema cannot express, as a table: each message names the file and line,
// what is wrong and how to fix it.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';

const FILE = '.github/deploy-request.yml';
const KEY = '"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"';

/** A one-environment config whose `windows` block (at the environment's indentation) starts on line 10. */
function config(windows: string): string {
  return [
    'version: 1',
    'environments:',
    '  production:',
    '    servers:',
    `      - { name: web-1, host: 203.0.113.10, user: deploy, host_key: ${KEY} }`,
    '    approval:',
    '      stages: [{ name: lead, reviewers: [alice], required: 1 }]',
    '    deploy:',
    '      path: /srv/web',
    '    windows:',
    windows,
  ].join('\n');
}

const GOOD_ALLOW = '      allow: [{ days: [mon, tue], from: "09:00", to: "16:00" }]';

function problems(windows: string) {
  const loaded = loadConfig(config(windows), FILE);
  return loaded.ok
    ? []
    : loaded.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
}

describe('windows in the configuration', () => {
  it('the issue’s example is valid, with every time zone spelling Intl accepts', () => {
    for (const zone of [
      'Europe/Berlin',
      'UTC',
      'Etc/UTC',
      'Asia/Kolkata',
      'Asia/Calcutta',
      'europe/berlin',
    ]) {
      expect(
        problems(
          `      timezone: ${zone}\n${GOOD_ALLOW}\n      freezes: [{ from: 2026-12-20, to: 2027-01-04, reason: "holiday freeze" }]\n`,
        ),
      ).toEqual([]);
    }
  });

  it('windows that touch (one ends when the other starts) and freezes on consecutive days are fine', () => {
    expect(
      problems(
        '      timezone: UTC\n      allow:\n        - { days: [mon], from: "09:00", to: "12:00" }\n        - { days: [mon], from: "12:00", to: "24:00" }\n' +
          '      freezes:\n        - { from: 2026-12-20, to: 2026-12-24, reason: a }\n        - { from: 2026-12-25, to: 2026-12-26, reason: b }\n',
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'an unknown time zone, with the closest one',
      '      timezone: Europe/Berln\n',
      '.github/deploy-request.yml:11:17: `environments.production.windows.timezone`: `Europe/Berln` is not a known IANA time zone (did you mean `Europe/Berlin`?); use a name like Europe/Berlin, America/New_York or UTC',
    ],
    [
      'an unknown time zone, nothing close',
      '      timezone: Mars/Olympus_Mons_Base\n',
      '.github/deploy-request.yml:11:17: `environments.production.windows.timezone`: `Mars/Olympus_Mons_Base` is not a known IANA time zone; use a name like Europe/Berlin, America/New_York or UTC',
    ],
    [
      'a window whose `to` is not after `from`',
      '      timezone: UTC\n      allow:\n        - { days: [fri], from: "22:00", to: "02:00" }\n',
      '.github/deploy-request.yml:13:45: `environments.production.windows.allow[0].to`: a window must end after it starts, but `to` (02:00) is not after `from` (22:00); a window across midnight is two windows: one until 24:00, one from 00:00 on the next days',
    ],
    [
      'an empty window (from = to)',
      '      timezone: UTC\n      allow:\n        - { days: [fri], from: "09:00", to: "09:00" }\n',
      '.github/deploy-request.yml:13:45: `environments.production.windows.allow[0].to`: a window must end after it starts, but `to` (09:00) is not after `from` (09:00)',
    ],
    [
      'two windows overlapping on a common day',
      '      timezone: UTC\n      allow:\n        - { days: [mon, tue], from: "09:00", to: "16:00" }\n        - { days: [tue, wed], from: "15:00", to: "18:00" }\n',
      '.github/deploy-request.yml:14:11: `environments.production.windows.allow[1]`: overlaps window 1 (09:00–16:00) on tue; merge them into one window or make their times not overlap',
    ],
    [
      'a freeze ending before it starts',
      `      timezone: UTC\n${GOOD_ALLOW}\n      freezes:\n        - { from: 2027-01-04, to: 2026-12-20, reason: x }\n`,
      '.github/deploy-request.yml:14:35: `environments.production.windows.freezes[0].to`: the freeze ends (2026-12-20) before it starts (2027-01-04); `to` is the last frozen day, on or after `from`',
    ],
    [
      'an impossible date',
      `      timezone: UTC\n${GOOD_ALLOW}\n      freezes:\n        - { from: 2026-02-30, to: 2026-03-02, reason: x }\n`,
      '.github/deploy-request.yml:14:19: `environments.production.windows.freezes[0].from`: `2026-02-30` is not a date of the calendar; write an existing day as YYYY-MM-DD',
    ],
    [
      'overlapping freezes',
      `      timezone: UTC\n${GOOD_ALLOW}\n      freezes:\n        - { from: 2026-12-20, to: 2027-01-04, reason: holidays }\n        - { from: 2027-01-04, to: 2027-01-10, reason: inventory }\n`,
      '.github/deploy-request.yml:15:11: `environments.production.windows.freezes[1]`: overlaps freeze 1 (2026-12-20 to 2027-01-04, holidays); merge them into one freeze or move the dates apart',
    ],
  ])('%s', (_name, windows, expected) => {
    expect(problems(windows).join('\n')).toContain(expected);
  });

  it('a freeze with a bad date is not also reported as out of order or overlapping', () => {
    expect(
      problems(
        `      timezone: UTC\n${GOOD_ALLOW}\n      freezes:\n        - { from: 2026-12-20, to: 2026-12-31, reason: a }\n        - { from: 2026-12-21, to: 2026-13-01, reason: b }\n`,
      ),
    ).toEqual([
      '.github/deploy-request.yml:15:35: `environments.production.windows.freezes[1].to`: `2026-13-01` is not a date of the calendar; write an existing day as YYYY-MM-DD',
    ]);
  });
});
