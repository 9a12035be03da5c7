// Rules of an environment's `windows` that the schema cannot express: a time zone Intl knows, a
// window's `from` before its `to`, real dates, freezes in order, and no overlaps (an overlap is
// harmless to the decision but always a typo worth a look).
import { isTimeZone, parseClock, parseDate } from '../policy/zoned-time.js';
import type { Issue } from '../yaml/locate.js';
import type { PathSegment } from '../yaml/path.js';
import { closest } from '../yaml/suggest.js';
import type { WindowsConfig } from './types.js';

let zones: string[] | undefined;

function timeZoneIssue(timezone: string, path: PathSegment[]): Issue[] {
  if (isTimeZone(timezone)) return [];
  // Intl lists canonical names only, without UTC: add it, the most common choice.
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone')];
  const near = closest(timezone, zones);
  return [
    {
      path,
      anchor: 'value',
      message: `\`${timezone}\` is not a known IANA time zone${near ? ` (did you mean \`${near}\`?)` : ''}; use a name like Europe/Berlin, America/New_York or UTC`,
    },
  ];
}

function dateIssue(text: string, path: PathSegment[]): Issue[] {
  if (parseDate(text)) return [];
  return [
    {
      path,
      anchor: 'value',
      message: `\`${text}\` is not a date of the calendar; write an existing day as YYYY-MM-DD`,
    },
  ];
}

function allowIssues(rule: WindowsConfig, base: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  rule.allow.forEach((w, i) => {
    if (parseClock(w.from) >= parseClock(w.to))
      issues.push({
        path: [...base, 'allow', i, 'to'],
        anchor: 'value',
        message: `a window must end after it starts, but \`to\` (${w.to}) is not after \`from\` (${w.from}); a window across midnight is two windows: one until 24:00, one from 00:00 on the next days`,
      });
  });
  rule.allow.forEach((w, j) => {
    for (let i = 0; i < j; i++) {
      const other = rule.allow[i]!;
      const days = w.days.filter((d) => other.days.includes(d));
      const overlap =
        Math.max(parseClock(w.from), parseClock(other.from)) <
        Math.min(parseClock(w.to), parseClock(other.to));
      if (days.length === 0 || !overlap) continue;
      issues.push({
        path: [...base, 'allow', j],
        anchor: 'value',
        message: `overlaps window ${i + 1} (${other.from}–${other.to}) on ${days.join(', ')}; merge them into one window or make their times not overlap`,
      });
      break;
    }
  });
  return issues;
}

function freezeIssues(rule: WindowsConfig, base: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  const valid: boolean[] = [];
  rule.freezes.forEach((f, i) => {
    const path = [...base, 'freezes', i];
    const bad = [...dateIssue(f.from, [...path, 'from']), ...dateIssue(f.to, [...path, 'to'])];
    issues.push(...bad);
    // ISO dates compare as text.
    if (bad.length === 0 && f.from > f.to)
      issues.push({
        path: [...path, 'to'],
        anchor: 'value',
        message: `the freeze ends (${f.to}) before it starts (${f.from}); \`to\` is the last frozen day, on or after \`from\``,
      });
    valid.push(bad.length === 0 && f.from <= f.to);
  });
  rule.freezes.forEach((f, j) => {
    if (!valid[j]) return;
    for (let i = 0; i < j; i++) {
      const other = rule.freezes[i]!;
      if (!valid[i] || f.from > other.to || other.from > f.to) continue;
      issues.push({
        path: [...base, 'freezes', j],
        anchor: 'value',
        message: `overlaps freeze ${i + 1} (${other.from} to ${other.to}, ${other.reason}); merge them into one freeze or move the dates apart`,
      });
      break;
    }
  });
  return issues;
}

/** Problems of one environment's `windows` (base: the environment's path). */
export function windowsIssues(rule: WindowsConfig | undefined, env: PathSegment[]): Issue[] {
  if (!rule) return [];
  const base = [...env, 'windows'];
  return [
    ...timeZoneIssue(rule.timezone, [...base, 'timezone']),
    ...allowIssues(rule, base),
    ...freezeIssues(rule, base),
  ];
}
