// Which release /rollback offers (SPEC: issue 15): complete on every target server, not marked
// bad, older than the newest current release, not current everywhere; a named id is checked the
// same way and every refusal says why.
import { describe, expect, it } from 'vitest';
import {
  checkPlan,
  selectRelease,
  type LedgerReleaseFacts,
  type ServerReleases,
} from '../../../src/rollback/select-release.js';

const R1 = '20261201T100000Z-aaaaaaaaaaaa';
const R2 = '20261202T100000Z-bbbbbbbbbbbb';
const R3 = '20261203T100000Z-cccccccccccc';

const ok = (id: string, o: Partial<LedgerReleaseFacts> = {}): LedgerReleaseFacts => ({
  id,
  complete: true,
  bad: false,
  ...o,
});

function server(
  name: string,
  current: string | null,
  releases: LedgerReleaseFacts[],
): ServerReleases {
  return { server: name, ok: true, current, releases };
}

const both = (releases: LedgerReleaseFacts[], current = R3): ServerReleases[] => [
  server('web-1', current, releases),
  server('web-2', current, releases),
];

describe('selectRelease without a name', () => {
  const cases: Array<[string, ServerReleases[], string | RegExp]> = [
    ['the newest earlier release', both([ok(R3), ok(R2), ok(R1)]), R2],
    ['skips a release marked bad', both([ok(R3), ok(R2, { bad: true }), ok(R1)]), R1],
    [
      'skips a release missing on one server',
      [server('web-1', R3, [ok(R3), ok(R2), ok(R1)]), server('web-2', R3, [ok(R3), ok(R1)])],
      R1,
    ],
    [
      'skips a release unfinished on one server',
      [
        server('web-1', R3, [ok(R3), ok(R2), ok(R1)]),
        server('web-2', R3, [ok(R3), ok(R2, { complete: false }), ok(R1)]),
      ],
      R1,
    ],
    [
      'never offers a release newer than the newest current (rolled away from)',
      both([ok(R3), ok(R2), ok(R1)], R2),
      R1,
    ],
    [
      'servers on different releases: older than the newest, not current everywhere',
      [
        server('web-1', R3, [ok(R3), ok(R2), ok(R1)]),
        server('web-2', R2, [ok(R3), ok(R2), ok(R1)]),
      ],
      R2,
    ],
    [
      'nothing older: says so',
      both([ok(R3)]),
      /no earlier release.*keep no release older than the current one/,
    ],
    [
      'nothing qualifies: the newest reasons',
      [
        server('web-1', R3, [
          ok(R3),
          ok(R2),
          ok(R1, { bad: true, badReason: 'failed its health check' }),
        ]),
        server('web-2', R3, [ok(R3), ok(R1)]),
      ],
      /no earlier release.*`20261202T100000Z-bbbbbbbbbbbb` is incomplete on web-2 \(missing\).*`20261201T100000Z-aaaaaaaaaaaa` is marked bad: failed its health check \(on web-1\)/,
    ],
    [
      'an unreachable server: no rollback is offered, and which one',
      [
        server('web-1', R3, [ok(R3), ok(R2)]),
        { server: 'web-2', ok: false, error: 'connection refused' },
      ],
      /releases of web-2 \(connection refused\) could not be read, so no rollback is offered/,
    ],
    [
      'a server without current',
      [server('web-1', R3, [ok(R3), ok(R2)]), server('web-2', null, [])],
      /web-2 has no `current` release/,
    ],
    ['no servers', [], /targets no server/],
  ];
  it.each(cases)('%s', (_name, ledgers, want) => {
    const got = selectRelease(ledgers);
    if (typeof want === 'string') {
      expect(got).toEqual({
        ok: true,
        target: want,
        expected: Object.fromEntries(ledgers.map((l) => [l.server, l.ok ? l.current : ''])),
      });
    } else {
      expect(got.ok).toBe(false);
      expect(got.ok ? '' : got.reason).toMatch(want);
    }
  });
});

describe('selectRelease with a named release', () => {
  const fleet = [
    server('web-1', R3, [
      ok(R3),
      ok(R2, { bad: true, badReason: 'rolled back by @olga (#2)' }),
      ok(R1),
    ]),
    server('web-2', R3, [ok(R3), ok(R2), ok(R1, { complete: false })]),
  ];
  const cases: Array<[string, string, RegExp]> = [
    ['unknown', 'nope', /unknown release `nope`: no target server keeps it\. web-1 keeps `2026/],
    [
      'incomplete on a server',
      R1,
      /`20261201T100000Z-aaaaaaaaaaaa` is incomplete on web-2 \(unfinished\)/,
    ],
    ['marked bad, with the reason', R2, /is marked bad: rolled back by @olga \(#2\) \(on web-1\)/],
    ['already current', R3, /already current on every server/],
  ];
  it.each(cases)('%s is refused', (_name, id, want) => {
    const got = selectRelease(fleet, id);
    expect(got.ok ? '' : got.reason).toMatch(want);
  });

  it('a server keeping no releases says so', () => {
    const got = selectRelease([server('web-1', R3, [])], R1);
    expect(got.ok ? '' : got.reason).toMatch(/web-1 keeps no releases/);
  });

  it('a candidate is accepted, with every server’s expected current', () => {
    expect(selectRelease(both([ok(R3), ok(R2), ok(R1)]), R1)).toEqual({
      ok: true,
      target: R1,
      expected: { 'web-1': R3, 'web-2': R3 },
    });
  });

  it('a release newer than the newest current is refused (rollbacks only go back)', () => {
    const got = selectRelease(both([ok(R3), ok(R2), ok(R1)], R2), R3);
    expect(got.ok ? '' : got.reason).toMatch(/not older than the current release.*only goes back/);
  });
});

describe('checkPlan (again under the lock)', () => {
  const expected = { 'web-1': R3, 'web-2': R3 };
  it('fits while every server is on the expected release with the target complete', () => {
    expect(checkPlan(both([ok(R3), ok(R2)]), R2, expected, '/')).toEqual({ ok: true });
  });
  it.each([
    [
      'a server moved on',
      [server('web-1', R2, [ok(R3), ok(R2)]), server('web-2', R3, [ok(R3), ok(R2)])],
      true,
      /servers changed since the plan \(web-1 is on `20261202T100000Z-bbbbbbbbbbbb`, not `20261203T100000Z-cccccccccccc`\).*`\.rollback` for a new plan/,
    ],
    [
      'a server lost current',
      [server('web-1', null, [ok(R2)]), server('web-2', R3, [ok(R3), ok(R2)])],
      true,
      /web-1 is on `nothing`/,
    ],
    [
      'the target is gone',
      [server('web-1', R3, [ok(R3)]), server('web-2', R3, [ok(R3), ok(R2)])],
      true,
      /web-1 no longer has `20261202T100000Z-bbbbbbbbbbbb` complete/,
    ],
    [
      'a server cannot be read',
      [
        server('web-1', R3, [ok(R3), ok(R2)]),
        { server: 'web-2', ok: false as const, error: 'timed out' },
      ],
      false,
      /releases of web-2 \(timed out\) could not be read; nothing was switched and the plan stays open/,
    ],
  ])('%s', (_name, ledgers, stale, want) => {
    const got = checkPlan(ledgers, R2, expected, '.');
    expect(got).toMatchObject({ ok: false, stale });
    expect(got.ok ? '' : got.reason).toMatch(want);
  });
});
