// Wall time in an IANA time zone, with the built-in Intl API only (Node ships full ICU; a time-zone
// library would cost the bundle more than it has room for). Pure.
//
// Local wall time → instant is deliberate about DST:
// - a wall time that does not exist (the spring-forward gap) means the instant the gap ends
//   (02:30 on Berlin's switch day is 03:00 CEST): the first moment the clock reads it or later;
// - a wall time that exists twice (the fall-back overlap) means its first occurrence.
// So a window from 02:30 opens when the clocks jump, and one ending at 02:30 on the fall-back day
// closes at the first 02:30: a window is never longer than its wall-clock length.

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

export interface LocalTime extends LocalDate {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
  weekday: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (IANA names, their aliases, case-insensitively). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time `instant` shows in `timeZone`, read as if it were UTC (milliseconds). */
function wallMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
    instant - Math.floor(instant / 1000) * 1000,
  );
}

/** The zone's offset from UTC at `instant`, in milliseconds (CEST: +7 200 000). */
export function offsetAt(instant: number, timeZone: string): number {
  return wallMs(instant, timeZone) - instant;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const wall = new Date(wallMs(instant.getTime(), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/** The date `days` after `date` (negative: before), and its weekday. */
export function addDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant of `minutes` after midnight (0–1440; 1440 is the next day's 00:00) of `date` in
 * `timeZone`; in a DST gap the gap's end, in an overlap the first occurrence (see above).
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  // The offsets in force a day before and a day after: zones change them at most once a day.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - after].filter(
    (t) => offsetAt(t, timeZone) === wall - t,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: the clocks jumped forward over `wall`. The jump lies between the two readings; find
  // the first minute already on the new offset.
  let lo = wall - after; // still on the old offset
  let hi = wall - before; // already on the new one
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** "2026-02-30" → undefined; "2026-12-20" → the date. */
export function parseDate(text: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** "09:30" → 570; "24:00" → 1440. */
export function parseClock(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}
