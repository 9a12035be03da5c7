// Pull-mode prerequisites without a server: when they apply, and what a silent server means.
import { describe, expect, it } from 'vitest';
import { NO_ANSWER } from '../../../src/environment/check-output.js';
import { pullCheckFor, pullCheckResults } from '../../../src/environment/pull-checks.js';

const sha256 = 'a'.repeat(64);
const url = { url: 'https://h.example/a.tgz?sig=s', sha256 };

describe('pullCheckFor', () => {
  it('only in pull mode and for pullable artifacts', async () => {
    expect(await pullCheckFor('push', url, undefined)).toBeUndefined();
    expect(await pullCheckFor('pull', { path: 'a.tgz', sha256 }, undefined)).toBeUndefined();
    expect(await pullCheckFor('pull', url, undefined)).toEqual({
      source: { url: url.url, show: 'https://h.example/a.tgz?…' },
    });
  });

  it('a release asset that cannot be had becomes a failing check, not a crash', async () => {
    const asset = { release_asset: { tag: 'v9', name: 'web.tgz' }, sha256 };
    expect(
      await pullCheckFor('pull', asset, () => Promise.reject(new Error('no release v9'))),
    ).toEqual({ error: 'could not fetch release asset web.tgz of v9: no release v9' });
    const link = () => Promise.reject('plain failure'); // not an Error
    expect(
      await pullCheckFor('pull', asset, () =>
        Promise.resolve({ size: 1, open: () => Promise.reject(new Error('x')), link }),
      ),
    ).toEqual({ error: 'plain failure' });
  });
});

describe('pullCheckResults', () => {
  const source = { source: { url: 'https://h/a', show: 'https://h/a' } };

  it('no answer from the server fails both', () => {
    expect(pullCheckResults('', source).map((r) => [r.actual, r.passed])).toEqual([
      [NO_ANSWER, false],
      [NO_ANSWER, false],
    ]);
  });

  it('an exit without a reason still names the tool and the code', () => {
    const stdout = '@@check pull-tool wget\n@@check pull-url 4 \n';
    expect(pullCheckResults(stdout, source)[1]).toMatchObject({
      actual:
        'not reachable from the server (wget exit 4): check its DNS, firewall or proxy for this host, or set `deploy.transfer: push`',
      passed: false,
    });
  });
});
