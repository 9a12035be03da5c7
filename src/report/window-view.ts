// Deployment windows as people read them: the one-line state (sticky comment and prompt) and the
// reason a /confirm is refused. Times are shown in the rule's zone, as the config writes them.
import type { WindowsConfig } from '../config/types.js';
import { HORIZON_DAYS, type WindowState } from '../policy/windows.js';
import { localTime, parseDate, type LocalDate } from '../policy/zoned-time.js';
import type { Block, Inline } from './markdown.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "CET", "EST", "UTC"; where no letters are known (Asia/Kolkata) "GMT+5:30". */
function zoneAbbreviation(instant: Date, timeZone: string): string {
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')!.value;
  const us = name('en-US');
  return us.startsWith('GMT') ? name('en-GB') : us;
}

const pad = (n: number) => String(n).padStart(2, '0');

function day(date: LocalDate & { weekday: number }, thisYear: number): string {
  const year = date.year === thisYear ? '' : ` ${date.year}`;
  return `${DAYS[date.weekday]} ${date.day} ${MONTHS[date.month - 1]}${year}`;
}

/** "16:00 CET" today, else "Mon 7 Dec 09:00 CET" (with the year when it is not this one). */
export function localMoment(instant: Date, timeZone: string, now: Date): string {
  const at = localTime(instant, timeZone);
  const today = localTime(now, timeZone);
  const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
  const clock = `${pad(at.hour)}:${pad(at.minute)} ${zoneAbbreviation(instant, timeZone)}`;
  return sameDay ? clock : `${day(at, today.year)} ${clock}`;
}

/** A config date ("2027-01-04") as "Mon 4 Jan 2027" (no year when it is this one). */
function configDay(text: string, timeZone: string, now: Date): string {
  const date = parseDate(text);
  if (!date) return text;
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return day({ ...date, weekday }, localTime(now, timeZone).year);
}

function zone(rule: WindowsConfig): string {
  return rule.timezone === 'UTC' ? '' : ` (${rule.timezone})`;
}

function nextOpening(rule: WindowsConfig, state: WindowState & { open: false }, now: Date): string {
  return state.opensAt
    ? `next opens ${localMoment(state.opensAt, rule.timezone, now)}`
    : `no window opens in the next ${HORIZON_DAYS} days`;
}

/** "open until 16:00 CET", "closed — next opens Mon 7 Dec 09:00 CET", "frozen until …". */
export function windowSummary(rule: WindowsConfig, state: WindowState, now: Date): string {
  if (state.open) {
    if (state.closingFreeze)
      return `open until the freeze from ${configDay(state.closingFreeze.from, rule.timezone, now)} (${state.closingFreeze.reason})${zone(rule)}`;
    if (state.closesAt)
      return `open until ${localMoment(state.closesAt, rule.timezone, now)}${zone(rule)}`;
    return `open${zone(rule)}`;
  }
  const next = nextOpening(rule, state, now);
  if (state.freeze)
    return `frozen until ${configDay(state.freeze.to, rule.timezone, now)} (${state.freeze.reason}) — ${next}${zone(rule)}`;
  return `closed — ${next}${zone(rule)}`;
}

/** "`production`: open until 16:00 CET (Europe/Berlin)" */
export function windowLine(
  environment: string,
  rule: WindowsConfig,
  state: WindowState,
  now: Date,
): Inline[] {
  return [{ code: environment }, `: ${windowSummary(rule, state, now)}`];
}

/** Why /confirm is refused now, and when it is accepted again. */
export function windowRefusal(
  environment: string,
  rule: WindowsConfig,
  state: WindowState & { open: false },
  now: Date,
  configPath: string,
): Inline[] {
  const what: Inline[] = state.freeze
    ? [
        { code: environment },
        ` is frozen until ${configDay(state.freeze.to, rule.timezone, now)} (${state.freeze.reason})`,
      ]
    : [{ code: environment }, ' is outside its deployment windows'];
  const when: Inline[] = state.opensAt
    ? [`; confirm again from ${localMoment(state.opensAt, rule.timezone, now)}${zone(rule)}.`]
    : [
        `; no window opens in the next ${HORIZON_DAYS} days: change `,
        { code: 'windows' },
        ' of environment ',
        { code: environment },
        ' in ',
        { code: configPath },
        '.',
      ];
  return [...what, ...when];
}

/** The prompt's small print on windows: bound by the digest, judged at /confirm, never mid-run. */
export function windowBlocks(
  window: { open: boolean; opensAt?: Date },
  expiresAt: string,
  prefix: string,
): Block[] {
  const expiresFirst =
    window.opensAt !== undefined && window.opensAt.getTime() > Date.parse(expiresAt);
  const closed: Inline[] = window.open
    ? []
    : [
        ' Until it opens, ',
        { code: `${prefix}confirm` },
        ' is refused; this prompt stays open',
        ...(expiresFirst
          ? [', but expires first: comment ', { code: `${prefix}recheck` }, ' for a new one.']
          : ['.']),
      ];
  return [
    {
      kind: 'paragraph',
      text: [
        { strong: '🕘 Deployment windows:' },
        ' the rule is part of the environment’s configuration, which the digest binds. ',
        { code: `${prefix}confirm` },
        ' is judged by GitHub’s clock when it arrives; a deployment that has started is never interrupted by a window closing.',
        ...closed,
      ],
    },
  ];
}
