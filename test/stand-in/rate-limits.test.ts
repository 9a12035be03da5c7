// GitHub's primary rate limit, used up: 403 or 429 with `x-ratelimit-remaining: 0` and the reset
// time in `x-ratelimit-reset` (epoch seconds).
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
import { describe, expect, test } from 'vitest';
import { standIn } from './helpers.js';

describe('primary rate limit', () => {
  test.each([403, 429] as const)(
    'exhausted: every request answers %i with remaining 0 and the reset',
    async (status) => {
      const { gh } = await standIn();
      // A whole second, as GitHub's reset always is (the header is epoch seconds).
      const resetAt = new Date(Math.floor(gh.clock.now().getTime() / 1000) * 1000 + 20 * 60_000);
      expect(gh.exhaustRateLimit({ status, resetAt, times: 2 })).toEqual(resetAt);
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${gh.url}/repos/acme/app`, {
          headers: { authorization: `token ${gh.tokens.write}` },
        });
        expect(res.status).toBe(status);
        expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(res.headers.get('x-ratelimit-reset')).toBe(String(resetAt.getTime() / 1000));
        expect(await res.json()).toMatchObject({
          message: expect.stringMatching(/^API rate limit exceeded/),
        });
      }
      // `times` spent: answered again.
      const after = await fetch(`${gh.url}/repos/acme/app`, {
        headers: { authorization: `token ${gh.tokens.write}` },
      });
      expect(after.status).toBe(200);
    },
  );

  test('by default it lasts, with a reset an hour ahead of the stand-in clock', async () => {
    const { gh } = await standIn();
    gh.clock.freeze();
    const reset = gh.exhaustRateLimit();
    const ahead = reset.getTime() - gh.clock.now().getTime();
    expect(ahead).toBeGreaterThan(3_599_000);
    expect(ahead).toBeLessThanOrEqual(3_600_000);
    expect(reset.getTime() % 1000).toBe(0);
    const res = await fetch(`${gh.url}/repos/acme/app/pulls`, {
      headers: { authorization: `token ${gh.tokens.write}` },
    });
    expect(res.status).toBe(403);
  });
});
