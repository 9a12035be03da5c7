// windowState as a table: week boundaries, windows to 24:00, Berlin's DST switches, freezes across
// the new year, and the zones UTC, Europe/Berlin, America/New_York, Asia/Kolkata.
import { describe, expect, it } from 'vitest';
import type { WindowsConfig } from '../../../src/config/types.js';
import { HORIZON_DAYS, windowState } from '../../../src/policy/windows.js';

const OFFICE = { days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00' } as const;
const HOLIDAYS = { from: '2026-12-20', to: '2027-01-04', reason: 'holiday freeze' };

function rule(o: Partial<WindowsConfig> = {}): WindowsConfig {
  return {
    timezone: 'Europe/Berlin',
    allow: [{ ...OFFICE, days: [...OFFICE.days] }],
    freezes: [HOLIDAYS],
    ...o,
  };
}

/** The state at `now`, instants as ISO strings. */
function at(r: WindowsConfig, now: string) {
  const s = windowState(r, new Date(now));
  return s.open
    ? { open: true, closesAt: s.closesAt?.toISOString(), freeze: s.closingFreeze?.reason }
    : { open: false, opensAt: s.opensAt?.toISOString(), freeze: s.freeze?.reason };
}

const open = (closesAt?: string, freeze?: string) => ({ open: true, closesAt, freeze });
const closed = (opensAt?: string, freeze?: string) => ({ open: false, opensAt, freeze });

describe('windowState', () => {
  it.each([
    // Europe/Berlin in winter is UTC+1: 09:00–16:00 local is 08:00–15:00Z.
    [
      'Thursday inside the window',
      rule(),
      '2026-12-03T10:00:00Z',
      open('2026-12-03T15:00:00.000Z'),
    ],
    ['at the opening instant', rule(), '2026-12-03T08:00:00Z', open('2026-12-03T15:00:00.000Z')],
    [
      'at the closing instant (not included)',
      rule(),
      '2026-12-03T15:00:00Z',
      closed('2026-12-07T08:00:00.000Z'),
    ],
    [
      'Friday 17:00: next Monday 09:00',
      rule(),
      '2026-12-04T16:00:00Z',
      closed('2026-12-07T08:00:00.000Z'),
    ],
    [
      'Sunday night across the week boundary',
      rule(),
      '2026-12-06T23:30:00Z',
      closed('2026-12-07T08:00:00.000Z'),
    ],
    ['Monday before opening', rule(), '2026-12-07T07:59:00Z', closed('2026-12-07T08:00:00.000Z')],
    // A freeze from 00:00 of its first day to the end of its last, across the new year.
    [
      'inside the holiday freeze, in a window',
      rule(),
      '2026-12-21T10:00:00Z',
      closed('2027-01-05T08:00:00.000Z', 'holiday freeze'),
    ],
    [
      'the freeze’s last day (included)',
      rule(),
      '2027-01-04T22:59:00Z',
      closed('2027-01-05T08:00:00.000Z', 'holiday freeze'),
    ],
    [
      'the first minute of the freeze',
      rule(),
      '2026-12-19T23:00:00Z',
      closed('2027-01-05T08:00:00.000Z', 'holiday freeze'),
    ],
    [
      'Thursday before the freeze: closes at 16:00 as usual',
      rule(),
      '2026-12-17T09:00:00Z',
      open('2026-12-17T15:00:00.000Z'),
    ],
  ] as const)('%s', (_name, r, now, expected) => {
    expect(at(r, now)).toEqual(expected);
  });

  const sunday = (from: string, to: string) =>
    rule({ allow: [{ days: ['sun'], from, to }], freezes: [] });
  it.each([
    // Berlin springs forward on Sun 28 Mar 2027 at 02:00 CET (01:00Z) to 03:00 CEST: 02:30 does
    // not exist, and a window from 02:30 opens when the clocks jump.
    [
      'spring gap: a window from 02:30 opens at the jump',
      sunday('02:30', '04:00'),
      '2027-03-28T00:30:00Z',
      closed('2027-03-28T01:00:00.000Z'),
    ],
    [
      'spring gap: open until 04:00 CEST',
      sunday('02:30', '04:00'),
      '2027-03-28T01:30:00Z',
      open('2027-03-28T02:00:00.000Z'),
    ],
    [
      'spring: Friday 17:00 CET, opens Monday 09:00 CEST',
      rule({ freezes: [] }),
      '2027-03-26T16:00:00Z',
      closed('2027-03-29T07:00:00.000Z'),
    ],
    // Berlin falls back on Sun 31 Oct 2027 at 03:00 CEST (01:00Z) to 02:00 CET: 02:00–02:59 twice.
    [
      'fall overlap: a window ends at the first 02:30',
      sunday('01:00', '02:30'),
      '2027-10-31T00:15:00Z',
      open('2027-10-31T00:30:00.000Z'),
    ],
    [
      'fall overlap: closed between the first 02:30 and the next Sunday',
      sunday('01:00', '02:30'),
      '2027-10-31T00:45:00Z',
      closed('2027-11-07T00:00:00.000Z'),
    ],
    [
      'fall overlap: a window from 02:30 to 03:00 spans the repeated hour',
      sunday('02:30', '03:00'),
      '2027-10-31T01:15:00Z',
      open('2027-10-31T02:00:00.000Z'),
    ],
    // to: 24:00 touching the next day's 00:00: one stretch.
    [
      'Friday until 24:00 then Saturday from 00:00: one stretch',
      rule({
        timezone: 'UTC',
        freezes: [],
        allow: [
          { days: ['fri'], from: '18:00', to: '24:00' },
          { days: ['sat'], from: '00:00', to: '06:00' },
        ],
      }),
      '2026-12-04T20:00:00Z',
      open('2026-12-05T06:00:00.000Z'),
    ],
    [
      'every day all day: never closes within the horizon',
      rule({
        timezone: 'UTC',
        freezes: [],
        allow: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' },
        ],
      }),
      '2026-12-04T20:00:00Z',
      open(),
    ],
    [
      'a freeze starting inside the stretch closes it',
      rule({
        timezone: 'UTC',
        freezes: [{ from: '2026-12-04', to: '2026-12-04', reason: 'audit' }],
        allow: [{ days: ['thu', 'fri'], from: '00:00', to: '24:00' }],
      }),
      '2026-12-03T20:00:00Z',
      open('2026-12-04T00:00:00.000Z', 'audit'),
    ],
    [
      'no windows: open until the freeze',
      rule({ allow: [] }),
      '2026-12-04T16:00:00Z',
      open('2026-12-19T23:00:00.000Z', 'holiday freeze'),
    ],
    [
      'no windows, no freezes: always open',
      rule({ allow: [], freezes: [] }),
      '2026-12-04T16:00:00Z',
      open(),
    ],
    [
      'no windows, in a freeze: opens when it ends',
      rule({ allow: [] }),
      '2026-12-25T12:00:00Z',
      closed('2027-01-04T23:00:00.000Z', 'holiday freeze'),
    ],
    [
      'frozen past the horizon: never opens',
      rule({ freezes: [{ from: '2026-01-01', to: '2030-12-31', reason: 'sunset' }] }),
      '2026-12-04T16:00:00Z',
      closed(undefined, 'sunset'),
    ],
    [
      'an impossible date freezes nothing (the config check refuses it)',
      rule({ allow: [], freezes: [{ from: '2026-02-30', to: '2026-03-02', reason: 'x' }] }),
      '2026-03-01T12:00:00Z',
      open(),
    ],
    [
      'two windows on a day, listed out of order: the earlier opens first',
      rule({
        timezone: 'UTC',
        freezes: [],
        allow: [
          { days: ['mon'], from: '13:00', to: '16:00' },
          { days: ['mon'], from: '09:00', to: '12:00' },
        ],
      }),
      '2026-12-07T08:00:00Z',
      closed('2026-12-07T09:00:00.000Z'),
    ],
    [
      'the nearest of several freezes ahead closes the stretch',
      rule({
        allow: [],
        freezes: [HOLIDAYS, { from: '2026-12-10', to: '2026-12-11', reason: 'audit' }],
      }),
      '2026-12-04T16:00:00Z',
      open('2026-12-09T23:00:00.000Z', 'audit'),
    ],
    // Other zones: UTC, America/New_York (UTC−5, DST from Sun 14 Mar 2027), Asia/Kolkata (UTC+5:30).
    ['UTC', rule({ timezone: 'UTC' }), '2026-12-03T15:59:00Z', open('2026-12-03T16:00:00.000Z')],
    [
      'New York: Friday 16:30 EST',
      rule({
        timezone: 'America/New_York',
        allow: [{ days: ['fri'], from: '09:00', to: '17:00' }],
      }),
      '2026-12-04T21:30:00Z',
      open('2026-12-04T22:00:00.000Z'),
    ],
    [
      'New York: Friday 18:00 EST, opens Monday 09:00 EDT',
      rule({ timezone: 'America/New_York', freezes: [] }),
      '2027-03-12T23:00:00Z',
      closed('2027-03-15T13:00:00.000Z'),
    ],
    [
      'Kolkata: Friday 19:00 IST, opens Monday 10:00',
      rule({ timezone: 'Asia/Kolkata', allow: [{ days: ['mon'], from: '10:00', to: '18:30' }] }),
      '2026-12-04T13:30:00Z',
      closed('2026-12-07T04:30:00.000Z'),
    ],
    [
      'Kolkata: Monday 18:29 IST',
      rule({ timezone: 'Asia/Kolkata', allow: [{ days: ['mon'], from: '10:00', to: '18:30' }] }),
      '2026-12-07T12:59:00Z',
      open('2026-12-07T13:00:00.000Z'),
    ],
  ] as const)('%s', (_name, r, now, expected) => {
    expect(at(r as WindowsConfig, now)).toEqual(expected);
  });

  it(`looks ${HORIZON_DAYS} days ahead, quickly`, () => {
    const started = performance.now();
    expect(
      at(
        rule({
          freezes: [],
          allow: [
            { days: ['sun'], from: '00:00', to: '24:00' },
            { days: ['mon'], from: '00:00', to: '24:00' },
            { days: ['tue', 'wed', 'thu', 'fri', 'sat'], from: '00:00', to: '24:00' },
          ],
        }),
        '2026-12-04T16:00:00Z',
      ),
    ).toEqual(open());
    expect(performance.now() - started).toBeLessThan(500);
  });
});
