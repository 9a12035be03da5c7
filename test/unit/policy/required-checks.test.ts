// require_checks, decided from data: which commit, each check's state, what changed by /confirm.
import { describe, expect, it } from 'vitest';
import {
  checksChange,
  checksTarget,
  judgeChecks,
  namesWithoutRuns,
  type CheckRunFact,
  type StatusFact,
} from '../../../src/policy/required-checks.js';
import type { ArtifactSource } from '../../../src/request/types.js';

const HEAD = 'a'.repeat(40);
const sha256 = 'f'.repeat(64);
const url: ArtifactSource = { url: 'https://example.com/a.tgz', sha256 };
const asset: ArtifactSource = { release_asset: { tag: 'v1.4.2', name: 'a.tgz' }, sha256 };
const path: ArtifactSource = { path: 'build/a.tgz', sha256 };
const CONFIG = '.github/deploy-request.yml';

describe('checksTarget', () => {
  it.each([
    ['head', url, { kind: 'commit', sha: HEAD, what: 'the head commit' }],
    ['head', asset, { kind: 'commit', sha: HEAD, what: 'the head commit' }],
    ['artifact', asset, { kind: 'tag', tag: 'v1.4.2' }],
    [
      'artifact',
      path,
      { kind: 'commit', sha: HEAD, what: 'the head commit, which artifact.path is built from' },
    ],
  ] as const)('on: %s, %j → %j', (on, artifact, target) => {
    expect(checksTarget({ checks: ['build'], on }, artifact, HEAD, CONFIG)).toEqual(target);
  });

  it('on: artifact with a url artifact cannot be met: refused, naming the config file and the fix', () => {
    expect(checksTarget({ checks: ['build'], on: 'artifact' }, url, HEAD, CONFIG)).toEqual({
      kind: 'none',
      reason:
        '.github/deploy-request.yml: require_checks.on: artifact needs a release_asset or path artifact, and this request downloads a url, which names no commit; use on: head or publish the artifact as a release asset.',
    });
  });
});

const run = (id: number, name: string, status: string, conclusion: string | null = null) =>
  ({ id, name, status, conclusion }) satisfies CheckRunFact;

describe('judgeChecks', () => {
  it.each<[string, CheckRunFact[], StatusFact[], string, string]>([
    [
      'a successful run',
      [run(1, 'build', 'completed', 'success')],
      [],
      'success',
      'completed: success',
    ],
    [
      'a failed run',
      [run(1, 'build', 'completed', 'failure')],
      [],
      'failure',
      'completed: failure',
    ],
    [
      'a neutral run (not proof CI built it)',
      [run(1, 'build', 'completed', 'neutral')],
      [],
      'failure',
      'completed: neutral',
    ],
    [
      'a skipped run',
      [run(1, 'build', 'completed', 'skipped')],
      [],
      'failure',
      'completed: skipped',
    ],
    [
      'a completed run without a conclusion',
      [run(1, 'build', 'completed')],
      [],
      'failure',
      'completed: none',
    ],
    ['a queued run', [run(1, 'build', 'queued')], [], 'pending', 'queued'],
    ['a running run', [run(1, 'build', 'in_progress')], [], 'pending', 'in_progress'],
    [
      're-run: the newest run counts (red then green)',
      [run(2, 'build', 'completed', 'success'), run(1, 'build', 'completed', 'failure')],
      [],
      'success',
      'completed: success',
    ],
    [
      're-run: the newest run counts (green then running)',
      [run(1, 'build', 'completed', 'success'), run(5, 'build', 'in_progress')],
      [],
      'pending',
      'in_progress',
    ],
    [
      'a successful status',
      [],
      [{ context: 'build', state: 'success' }],
      'success',
      'status: success',
    ],
    [
      'a pending status',
      [],
      [{ context: 'build', state: 'pending' }],
      'pending',
      'status: pending',
    ],
    ['an error status', [], [{ context: 'build', state: 'error' }], 'failure', 'status: error'],
    ['a failed status', [], [{ context: 'build', state: 'failure' }], 'failure', 'status: failure'],
    [
      'a run wins over a status of the same name',
      [run(1, 'build', 'completed', 'success')],
      [{ context: 'build', state: 'failure' }],
      'success',
      'completed: success',
    ],
    [
      'nothing of that name',
      [run(1, 'Build', 'completed', 'success')],
      [],
      'missing',
      'not reported',
    ],
  ])('%s', (_what, runs, statuses, state, detail) => {
    const verdict = judgeChecks(['build'], runs, statuses);
    expect(verdict.checks).toEqual([{ name: 'build', state, detail }]);
    expect(verdict.passed).toBe(state === 'success');
    expect(verdict.states).toEqual({ build: state });
  });

  it('passes only when every named check is success; the states in the order named', () => {
    const runs = [run(1, 'test', 'completed', 'success'), run(2, 'lint', 'completed', 'failure')];
    const statuses = [{ context: 'build', state: 'success' }];
    expect(judgeChecks(['build', 'test'], runs, statuses)).toEqual({
      checks: [
        { name: 'build', state: 'success', detail: 'status: success' },
        { name: 'test', state: 'success', detail: 'completed: success' },
      ],
      passed: true,
      states: { build: 'success', test: 'success' },
    });
    expect(judgeChecks(['build', 'test', 'e2e'], runs, statuses).passed).toBe(false);
  });

  it('namesWithoutRuns: only the names no check run answers need the commit statuses', () => {
    expect(namesWithoutRuns(['build', 'test'], [run(1, 'test', 'queued')])).toEqual(['build']);
    expect(namesWithoutRuns(['test'], [run(1, 'test', 'queued')])).toEqual([]);
  });
});

describe('checksChange', () => {
  const green = { commit: 'b'.repeat(40), states: { build: 'success', test: 'success' } };
  it.each<[string, Parameters<typeof checksChange>, string | undefined]>([
    ['the same facts', [green, { ...green }], undefined],
    ['no facts at the prompt (the gate is new: the config changed)', [undefined, green], undefined],
    ['no facts now (the gate was removed)', [green, undefined], undefined],
    [
      'a check turned red',
      [green, { ...green, states: { build: 'success', test: 'failure' } }],
      'the checks on bbbbbbb changed since the prompt (test was success, is now failure).',
    ],
    [
      'a check was added to the rule',
      [green, { ...green, states: { ...green.states, e2e: 'success' } }],
      'the checks on bbbbbbb changed since the prompt (e2e was not required, is now success).',
    ],
    [
      'a check was dropped from the rule',
      [green, { ...green, states: { build: 'success' } }],
      'the checks on bbbbbbb changed since the prompt (test was success, is now not required).',
    ],
    [
      'the tag moved',
      [green, { ...green, commit: 'c'.repeat(40) }, 'v1.4.2'],
      'tag v1.4.2 now points to ccccccc, not bbbbbbb as when the prompt was posted.',
    ],
    [
      'another commit without a tag',
      [green, { ...green, commit: 'c'.repeat(40) }],
      'the checks are now read on ccccccc, not bbbbbbb as when the prompt was posted.',
    ],
  ])('%s', (_what, args, reason) => {
    expect(checksChange(...args)).toBe(reason);
  });
});
