import { describe, expect, it } from 'vitest';
import { createGitHubClock } from '../../../src/github/github-clock.js';

describe('GitHub clock', () => {
  it("is the runner's clock until a response says otherwise", () => {
    let local = Date.parse('2026-12-04T10:00:00Z');
    const clock = createGitHubClock(() => local);
    expect(clock.now().toISOString()).toBe('2026-12-04T10:00:00.000Z');
    clock.observe(undefined);
    clock.observe('not a date');
    local += 500;
    expect(clock.now().toISOString()).toBe('2026-12-04T10:00:00.500Z');
  });

  it("follows the Date header: a runner hours off still sees GitHub's time, moving on with its own", () => {
    let local = Date.parse('2026-12-04T10:00:00Z');
    const clock = createGitHubClock(() => local);
    clock.observe('Fri, 04 Dec 2026 16:30:00 GMT');
    expect(clock.now().toISOString()).toBe('2026-12-04T16:30:00.000Z');
    local += 2_000;
    expect(clock.now().toISOString()).toBe('2026-12-04T16:30:02.000Z');
    // Within the header's one-second resolution: no jitter.
    clock.observe('Fri, 04 Dec 2026 16:30:01 GMT');
    expect(clock.now().toISOString()).toBe('2026-12-04T16:30:02.000Z');
    // GitHub's clock jumped (the stand-in's was set): follow it.
    clock.observe('Mon, 07 Dec 2026 08:00:00 GMT');
    expect(clock.now().toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });
});
