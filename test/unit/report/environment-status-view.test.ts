// The /status reply: per-server rows from the ledger, an unreadable server keeps its row, and the
// locks and the open prompt are spelled out with the command that acts on them.
import { describe, expect, it } from 'vitest';
import {
  renderEnvironmentStatus,
  when,
  type EnvironmentStatusView,
} from '../../../src/report/environment-status-view.js';

const now = new Date('2026-12-04T12:00:00Z');
const base: EnvironmentStatusView = {
  environment: 'production',
  servers: [
    {
      server: 'web-1',
      ok: true,
      current: '20261204T100000Z-bbbbbb',
      releases: [
        {
          id: '20261204T100000Z-bbbbbb',
          release: '1.4.3',
          pullRequest: 12,
          requester: 'dev',
          at: '2026-12-04T10:00:00Z',
          complete: true,
          bad: false,
        },
        {
          id: '20261203T090000Z-aaaaaa',
          release: '1.4.2',
          complete: true,
          bad: true,
          badReason: 'rolled back by @ops (#12)',
        },
      ],
    },
    { server: 'web-2', ok: false, error: 'connection refused (127.0.0.1:2)' },
  ],
  deployLock: null,
  hold: null,
  prompt: null,
  pullNumber: 12,
  prefix: '/',
  now,
};

describe('renderEnvironmentStatus', () => {
  it('shows the live release, its age and PR, the kept releases with bad ones marked', () => {
    const text = renderEnvironmentStatus(base);
    expect(text).toContain('### 📋 Status of production');
    expect(text).toContain(
      '| web-1 | `20261204T100000Z-bbbbbb` 1.4.3 | 2026-12-04 10:00 UTC (2 h ago) | \\#12 by @dev |',
    );
    // A login in free text is not a mention (no one is pinged by a status reply).
    expect(text).toContain(
      '`20261203T090000Z-aaaaaa` 1.4.2 ✗ bad: rolled back by @\u200bops (\\#12)',
    );
  });

  it('a break-glass release is marked with its reason', () => {
    const [web1] = base.servers;
    const live = web1!.ok ? web1!.releases[0]! : undefined;
    const text = renderEnvironmentStatus({
      ...base,
      servers: [{ ...web1!, releases: [{ ...live!, emergency: 'payments down' }] } as never],
    });
    expect(text).toContain('`20261204T100000Z-bbbbbb` 1.4.3 🚨 break-glass: payments down |');
  });

  it('an unreachable server keeps its row and is counted above the table', () => {
    const text = renderEnvironmentStatus(base);
    expect(text).toContain('1 of 2 server(s) could not be read');
    expect(text).toContain('| web-2 | ⚠️ could not be read: connection refused (127.0.0.1:2) |');
  });

  it('locks, hold and prompt: who, why, until when, and the command that acts on each', () => {
    const text = renderEnvironmentStatus({
      ...base,
      deployLock: 'pull request #9 (deploying since 2026-12-04T11:50:00Z)',
      hold: {
        holder: 'alice',
        reason: 'db migration',
        since: '2026-12-04T11:00:00Z',
        expiresAt: '2026-12-04T14:00:00Z',
      },
      prompt: {
        kind: 'rollback',
        what: '20261203T090000Z-aaaaaa',
        digest: '0123456789abcdef',
        expiresAt: '2026-12-05T10:00:00Z',
      },
    });
    expect(text).toContain('🔒 held by pull request \\#9');
    expect(text).toContain('@alice since 2026-12-04 11:00 UTC (1 h ago): db migration');
    expect(text).toContain('expires 2026-12-04 14:00 UTC (in 2 h)');
    expect(text).toContain('`/unlock production`');
    expect(text).toContain('roll back to');
    expect(text).toContain('`/confirm 0123456789abcdef`');
  });

  it('nothing held, nothing open, a server with no release yet', () => {
    const text = renderEnvironmentStatus({
      ...base,
      servers: [
        { server: 'web-3', ok: true, current: null, releases: [] },
        {
          server: 'web-4',
          ok: true,
          current: 'gone',
          releases: [{ id: 'half', complete: false, bad: false }],
        },
      ],
    });
    expect(text).toContain('| web-3 | none yet | — | — | — |');
    // `current` names a release the ledger does not list; an unfinished one is marked.
    expect(text).toContain('| web-4 | `gone` | — | — | `half` (incomplete) |');
    expect(text).toContain('free (no deployment running)');
    expect(text).toContain('**Hold:** none');
    expect(text).not.toContain('could not be read');
  });

  it('when(): minutes, hours, days, future, and text that is no date', () => {
    expect(when('2026-12-04T11:58:00Z', now)).toBe('2026-12-04 11:58 UTC (2 min ago)');
    expect(when('2026-12-01T12:00:00Z', now)).toBe('2026-12-01 12:00 UTC (3 d ago)');
    expect(when('2026-12-04T13:00:00Z', now)).toBe('2026-12-04 13:00 UTC (in 1 h)');
    expect(when('soon', now)).toBe('soon');
  });
});
