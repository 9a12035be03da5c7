// The /status reply, as data → blocks: per server the live release and the releases kept (from
// the ledger on each server), then the environment's locks and this pull request's open prompt.
// A server that could not be read keeps its row, saying why, so one bad host hides nothing else.
import { renderMarkdown, type Block, type Inline } from './markdown.js';

export interface StatusRelease {
  id: string;
  /** The application's version label, when the ledger has it. */
  release?: string;
  pullRequest?: number;
  requester?: string;
  /** When it went live (finished_at, else started_at), ISO 8601. */
  at?: string;
  complete: boolean;
  bad: boolean;
  badReason?: string;
  /** A break-glass deployment: the switch's reason. */
  emergency?: string;
}

export type StatusServer =
  | { server: string; ok: true; current: string | null; releases: StatusRelease[] }
  | { server: string; ok: false; error: string };

export interface StatusHold {
  holder: string;
  reason: string;
  since: string;
  expiresAt?: string;
}

export interface StatusPrompt {
  kind: 'deploy' | 'rollback';
  /** What it would deploy, or roll back to. */
  what: string;
  digest: string;
  expiresAt: string;
}

export interface EnvironmentStatusView {
  environment: string;
  servers: StatusServer[];
  /** Who holds the deployment lock (a running deployment), or null when it is free. */
  deployLock: string | null;
  hold: StatusHold | null;
  /** This pull request's open prompt, if any. */
  prompt: StatusPrompt | null;
  pullNumber: number;
  prefix: string;
  now: Date;
}

/** "2026-12-04 10:15 UTC (3 h ago)": absolute for the record, relative for a glance. */
export function when(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const stamp = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const minutes = Math.round((now.getTime() - at.getTime()) / 60_000);
  const ago = Math.abs(minutes);
  const span =
    ago < 60
      ? `${ago} min`
      : ago < 2880
        ? `${Math.round(ago / 60)} h`
        : `${Math.round(ago / 1440)} d`;
  return `${stamp} (${minutes >= 0 ? `${span} ago` : `in ${span}`})`;
}

function releaseLabel(r: StatusRelease): Inline[] {
  const parts: Inline[] = [{ code: r.id }];
  if (r.release) parts.push(` ${r.release}`);
  if (r.emergency !== undefined) parts.push(' 🚨 break-glass: ', r.emergency);
  if (r.bad) parts.push(` ✗ bad${r.badReason ? `: ${r.badReason}` : ''}`);
  else if (!r.complete) parts.push(' (incomplete)');
  return parts;
}

function serverRow(s: StatusServer, now: Date): Inline[][] {
  if (!s.ok) return [[s.server], [`⚠️ could not be read: ${s.error}`], ['—'], ['—'], ['—']];
  const live = s.releases.find((r) => r.id === s.current);
  const kept = s.releases.flatMap((r, i) => [...(i > 0 ? ['; '] : []), ...releaseLabel(r)]);
  return [
    [s.server],
    live ? releaseLabel(live) : s.current ? [{ code: s.current }] : ['none yet'],
    [live?.at ? when(live.at, now) : '—'],
    live?.pullRequest !== undefined
      ? [`#${live.pullRequest}`, ...(live.requester ? [' by ', { mention: live.requester }] : [])]
      : ['—'],
    kept.length ? kept : ['—'],
  ];
}

function lockLines(view: EnvironmentStatusView): Inline[][] {
  const { hold, now, prefix, environment } = view;
  return [
    [
      { strong: 'Deployment lock:' },
      view.deployLock ? ` 🔒 held by ${view.deployLock}` : ' free (no deployment running)',
    ],
    hold
      ? [
          { strong: 'Hold:' },
          ' 🔒 ',
          { mention: hold.holder },
          ` since ${when(hold.since, now)}: ${hold.reason}; `,
          hold.expiresAt ? `expires ${when(hold.expiresAt, now)}; ` : 'until unlocked; ',
          'an operator can comment ',
          { code: `${prefix}unlock ${environment}` },
        ]
      : [{ strong: 'Hold:' }, ' none'],
    view.prompt
      ? [
          { strong: `Open prompt on #${view.pullNumber}:` },
          ` ${view.prompt.kind === 'rollback' ? 'roll back to' : 'deploy'} ${view.prompt.what}, `,
          { code: `${prefix}confirm ${view.prompt.digest}` },
          `, expires ${when(view.prompt.expiresAt, now)}`,
        ]
      : [{ strong: `Open prompt on #${view.pullNumber}:` }, ' none'],
  ];
}

export function environmentStatusBlocks(view: EnvironmentStatusView): Block[] {
  const unreadable = view.servers.filter((s) => !s.ok).length;
  return [
    { kind: 'heading', level: 3, text: `📋 Status of ${view.environment}` },
    ...(unreadable
      ? [
          {
            kind: 'paragraph' as const,
            text: [
              `⚠️ ${unreadable} of ${view.servers.length} server(s) could not be read; their rows say why.`,
            ],
          },
        ]
      : []),
    {
      kind: 'table',
      headers: [
        'Server',
        'Current release',
        'Live since',
        'Deployed by',
        'Releases kept (newest first)',
      ],
      rows: view.servers.map((s) => serverRow(s, view.now)),
    },
    { kind: 'list', items: lockLines(view) },
  ];
}

export function renderEnvironmentStatus(view: EnvironmentStatusView): string {
  return renderMarkdown(environmentStatusBlocks(view));
}
