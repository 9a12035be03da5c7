// The concurrency model (test/support/concurrency.ts) against GitHub's documented rules:
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs
import { describe, expect, test } from 'vitest';
import { ConcurrencyModel, evaluateTemplate } from '../support/concurrency.js';

describe('concurrency groups', () => {
  test('one running per group; a queued run waits; other groups are independent', () => {
    const m = new ConcurrencyModel();
    m.queue('a', 'g');
    m.queue('b', 'g');
    m.queue('x', 'other');
    expect([m.stateOf('a'), m.stateOf('b'), m.stateOf('x')]).toEqual([
      'running',
      'pending',
      'running',
    ]);
    m.complete('a');
    expect([m.stateOf('a'), m.stateOf('b')]).toEqual(['completed', 'running']);
    m.complete('b');
    expect(m.stateOf('b')).toBe('completed');
  });

  test('a newer pending run cancels the older pending one, even with cancel-in-progress: false', () => {
    const m = new ConcurrencyModel();
    m.queue('running', 'g', false);
    m.queue('older', 'g', false);
    m.queue('newer', 'g', false);
    expect(m.stateOf('running')).toBe('running');
    expect(m.stateOf('older')).toBe('cancelled');
    expect(m.stateOf('newer')).toBe('pending');
  });

  test('cancel-in-progress: true cancels the running one instead', () => {
    const m = new ConcurrencyModel();
    m.queue('a', 'g', true);
    m.queue('b', 'g', true);
    expect([m.stateOf('a'), m.stateOf('b')]).toEqual(['cancelled', 'running']);
  });

  test('only a running run completes; unknown runs are errors', () => {
    const m = new ConcurrencyModel();
    m.queue('a', 'g');
    m.queue('b', 'g');
    expect(() => m.complete('b')).toThrow(/b is pending, not running/);
    expect(() => m.stateOf('nope')).toThrow(/no run nope/);
  });
});

describe('group expressions', () => {
  const ctx = {
    github: { event_name: 'issue_comment', event: { issue: { number: 7 }, comment: { id: 0 } } },
    inputs: {},
  };
  test('paths, ||, literals and several ${{ }} in one template', () => {
    expect(evaluateTemplate('g-${{ github.event.issue.number || inputs.pull-request }}', ctx)).toBe(
      'g-7',
    );
    expect(evaluateTemplate("${{ github.event_name }}-${{ inputs.x || 'none' }}", ctx)).toBe(
      'issue_comment-none',
    );
    // 0 and missing values are falsy, as in GitHub's expressions.
    expect(evaluateTemplate('${{ github.event.comment.id || inputs.y }}', ctx)).toBe('');
    expect(evaluateTemplate("${{ 'it''s' }}", ctx)).toBe("it's");
    expect(evaluateTemplate('${{ github.event_name.deeper }}', ctx)).toBe('');
  });
  test('anything else is refused, not guessed', () => {
    expect(() => evaluateTemplate("${{ format('{0}', github.run_id) }}", ctx)).toThrow(
      /cannot evaluate/,
    );
    expect(() => evaluateTemplate('${{ a && b }}', ctx)).toThrow(/cannot evaluate/);
  });
});
