// GitHub's clock, read from the `Date` header of its API responses. Time-bound decisions
// (deployment windows, prompt and hold expiry) use it rather than the runner's clock: a
// self-hosted runner whose clock is wrong, by accident or on purpose, cannot open a window.
// Before the first response the runner's clock stands in (every handler reads GitHub first).

export interface GitHubClock {
  /** GitHub's time now: the runner's clock corrected by the offset seen in the last response. */
  now(): Date;
  /** Takes the offset from one response's `Date` header (RFC 7231, one-second resolution). */
  observe(dateHeader: string | undefined): void;
}

export function createGitHubClock(local: () => number = Date.now): GitHubClock {
  let offsetMs = 0;
  return {
    now: () => new Date(local() + offsetMs),
    observe(dateHeader) {
      const remote = dateHeader ? Date.parse(dateHeader) : Number.NaN;
      // The header is whole seconds, sent when the answer was made: keep the offset when it is
      // within that second, so back-to-back reads do not jitter.
      if (Number.isNaN(remote)) return;
      const offset = remote - local();
      if (Math.abs(offset - offsetMs) > 1000) offsetMs = offset;
    },
  };
}
