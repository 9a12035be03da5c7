// Deployment windows and freezes: may a deployment start now, and if not, when? Pure; the time
// is GitHub's (ctx.now()), the rule the environment's `windows`. Only the start is judged: a
// deployment already running is never interrupted by a window closing.
import type { Freeze, Weekday, WindowsConfig } from '../config/types.js';
import {
  addDays,
  localTime,
  parseClock,
  parseDate,
  zonedInstant,
  type LocalDate,
} from './zoned-time.js';

/** How far ahead the next opening (or closing) is looked for. */
export const HORIZON_DAYS = 400;

export type WindowState =
  | {
      open: true;
      /** When the open stretch ends (a window's end or a freeze's start); none within the horizon: undefined. */
      closesAt?: Date;
      /** The freeze that ends it, when one does. */
      closingFreeze?: Freeze;
    }
  | {
      open: false;
      /** The next instant /confirm is accepted; none within the horizon: undefined. */
      opensAt?: Date;
      /** The freeze now is in, if any (else it is outside every window). */
      freeze?: Freeze;
    };

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Span {
  start: number;
  end: number;
}

/** The allowed spans of one local day, in order (the whole day when there are no windows). */
function daySpans(rule: WindowsConfig, date: LocalDate, weekday: number): Span[] {
  const allow = rule.allow.length
    ? rule.allow.filter((w) => w.days.includes(WEEKDAYS[weekday]!))
    : [{ from: '00:00', to: '24:00' }];
  return allow
    .map((w) => ({
      start: zonedInstant(date, parseClock(w.from), rule.timezone),
      end: zonedInstant(date, parseClock(w.to), rule.timezone),
    }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
}

interface FreezeSpan extends Span {
  freeze: Freeze;
}

/** Freezes as instants: from the first day's 00:00 to the end of the last day. */
function freezeSpans(rule: WindowsConfig): FreezeSpan[] {
  const spans: FreezeSpan[] = [];
  for (const freeze of rule.freezes) {
    const from = parseDate(freeze.from);
    const to = parseDate(freeze.to);
    // The config check refuses impossible dates; a rule that slipped past freezes nothing.
    if (!from || !to) continue;
    spans.push({
      start: zonedInstant(from, 0, rule.timezone),
      end: zonedInstant(to, 1440, rule.timezone),
      freeze,
    });
  }
  return spans;
}

function frozenAt(t: number, freezes: FreezeSpan[]): FreezeSpan | undefined {
  return freezes.find((f) => f.start <= t && t < f.end);
}

/** Allowed spans day by day from the local day of `now`, up to the horizon. */
function* spansFrom(rule: WindowsConfig, now: Date): Generator<Span> {
  const today = localTime(now, rule.timezone);
  for (let k = 0; k <= HORIZON_DAYS; k++) {
    const date = addDays(today, k);
    yield* daySpans(rule, date, date.weekday);
  }
}

export function windowState(rule: WindowsConfig, now: Date): WindowState {
  const t = now.getTime();
  const freezes = freezeSpans(rule);
  const frozen = frozenAt(t, freezes);
  const spans = spansFrom(rule, now);
  let next = spans.next();
  while (!next.done && next.value.end <= t) next = spans.next();
  if (!frozen && !next.done && next.value.start <= t) {
    // Open: the stretch goes on through spans that touch (Mon until 24:00, Tue from 00:00).
    let end: number | undefined = t;
    for (; end !== undefined; next = spans.next()) {
      if (next.done) end = undefined;
      else if (next.value.start > end) break;
      else end = Math.max(end, next.value.end);
    }
    const freeze = freezes
      .filter((f) => f.start > t && (end === undefined || f.start < end))
      .sort((a, b) => a.start - b.start)[0];
    if (freeze)
      return { open: true, closesAt: new Date(freeze.start), closingFreeze: freeze.freeze };
    return end === undefined ? { open: true } : { open: true, closesAt: new Date(end) };
  }
  // Closed: the first allowed instant from now on that no freeze covers.
  let cursor = t;
  let opensAt: number | undefined;
  for (; !next.done; next = spans.next()) {
    const span = next.value;
    if (span.end <= cursor) continue;
    let candidate = Math.max(span.start, cursor);
    for (let f = frozenAt(candidate, freezes); f; f = frozenAt(candidate, freezes))
      candidate = f.end;
    if (candidate < span.end) {
      opensAt = candidate;
      break;
    }
    cursor = candidate;
  }
  return {
    open: false,
    ...(opensAt === undefined ? {} : { opensAt: new Date(opensAt) }),
    ...(frozen ? { freeze: frozen.freeze } : {}),
  };
}
