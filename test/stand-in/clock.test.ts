// GitHub's clock as the stand-in keeps it. GitHub stamps every answer with the time it was made
// (`Date`, RFC 9110 §6.6.1) and timestamps in bodies with the same clock; that clock never stands
// still, so two workflow runs never share an instant. Tests move it to reach a window or an expiry.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ManualClock } from '../support/github-stand-in/index.js';
import { repo, standIn } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe("the stand-in's clock", () => {
  test('runs with real time from where it starts or is set', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T10:00:00Z') });
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    vi.advanceTimersByTime(2500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:02.500Z');
    clock.set('2026-06-01T12:00:00Z');
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-06-01T12:00:01.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-06-01T12:01:01.000Z');
  });

  test('freeze() stops it; set and advance still move it', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T10:00:00Z') });
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    vi.advanceTimersByTime(1000);
    clock.freeze();
    vi.advanceTimersByTime(5000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
    clock.advance(1000);
    clock.set(clock.now().getTime() + 1000);
    vi.advanceTimersByTime(5000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:03.000Z');
  });

  test("every answer's Date header is the stand-in's time, in HTTP's format", async () => {
    const { gh, octokit } = await standIn();
    gh.clock.set('2027-03-01T08:30:00Z');
    const res = await octokit().rest.repos.get(repo);
    const date = Date.parse(res.headers.date as string);
    expect(res.headers.date).toMatch(/^Mon, 01 Mar 2027 08:30:\d\d GMT$/);
    expect(date).toBeGreaterThanOrEqual(Date.parse('2027-03-01T08:30:00Z'));
  });
});
