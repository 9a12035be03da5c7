// The rollout's pure decisions: batches, and what follows each batch.
import { describe, expect, it } from 'vitest';
import {
  nextRolloutStep,
  planBatches,
  type RolloutState,
} from '../../../src/deploy/rollout-plan.js';

describe('planBatches', () => {
  it.each([
    [['a', 'b', 'c', 'd', 'e'], 2, [['a', 'b'], ['c', 'd'], ['e']]],
    [['a', 'b', 'c'], 1, [['a'], ['b'], ['c']]],
    [['a', 'b', 'c'], 10, [['a', 'b', 'c']]],
    [['a', 'b'], 0, [['a'], ['b']]],
    [[], 3, []],
  ])('%j in batches of %i', (servers, size, expected) => {
    expect(planBatches(servers, size)).toEqual(expected);
  });
});

describe('nextRolloutStep', () => {
  const batches = [['w1'], ['w2', 'w3'], ['w4']];
  const state = (s: Partial<RolloutState>): RolloutState => ({
    batches,
    completed: 0,
    failed: [],
    switched: [],
    ...s,
  });
  const strict = { maxFailedServers: 0, rollbackOnFailure: true };

  it.each([
    [
      'starts with the first batch',
      state({}),
      strict,
      { kind: 'batch', index: 0, servers: ['w1'] },
    ],
    [
      'continues after a clean batch',
      state({ completed: 1, switched: ['w1'] }),
      strict,
      { kind: 'batch', index: 1, servers: ['w2', 'w3'] },
    ],
    [
      'is done after the last batch',
      state({ completed: 3, switched: ['w1', 'w2', 'w3', 'w4'] }),
      strict,
      { kind: 'done' },
    ],
    [
      'continues while failures are tolerated',
      state({ completed: 2, failed: ['w2'], switched: ['w1', 'w3'] }),
      { maxFailedServers: 1, rollbackOnFailure: true },
      { kind: 'batch', index: 2, servers: ['w4'] },
    ],
    [
      'is done with tolerated failures',
      state({ completed: 3, failed: ['w4'], switched: ['w1', 'w2', 'w3'] }),
      { maxFailedServers: 1, rollbackOnFailure: true },
      { kind: 'done' },
    ],
  ])('%s', (_name, s, policy, expected) => {
    expect(nextRolloutStep(s, policy)).toEqual(expected);
  });

  it.each([
    [
      'stops after too many failures and rolls back every switched server, earlier batches included',
      state({ completed: 2, failed: ['w2'], switched: ['w1', 'w3'] }),
      strict,
      { rollback: ['w1', 'w3'], untouched: ['w4'] },
    ],
    [
      'counts failures over all batches',
      state({ completed: 2, failed: ['w1', 'w3'], switched: ['w2'] }),
      { maxFailedServers: 1, rollbackOnFailure: true },
      { rollback: ['w2'], untouched: ['w4'] },
    ],
    [
      'rolls back even when the last batch failed',
      state({ completed: 3, failed: ['w4'], switched: ['w1', 'w2', 'w3'] }),
      strict,
      { rollback: ['w1', 'w2', 'w3'], untouched: [] },
    ],
    [
      'stops without rollback when rollback_on_failure is off',
      state({ completed: 1, failed: ['w1'], switched: ['w1'] }),
      { maxFailedServers: 0, rollbackOnFailure: false },
      { rollback: [], untouched: ['w2', 'w3', 'w4'] },
    ],
  ])('%s', (_name, s, policy, expected) => {
    const step = nextRolloutStep(s, policy);
    expect(step).toMatchObject({ kind: 'stop', ...expected });
    expect(step.kind === 'stop' && step.reason).toMatch(
      new RegExp(
        `^${s.failed.length} server\\(s\\) failed \\(${s.failed.join(', ')}\\), more than max_failed_servers ${policy.maxFailedServers}: the rollout stopped`,
      ),
    );
  });

  it('explains the stop in one sentence', () => {
    const step = nextRolloutStep(
      state({ completed: 2, failed: ['w2'], switched: ['w1', 'w3'] }),
      strict,
    );
    expect(step.kind === 'stop' && step.reason).toBe(
      '1 server(s) failed (w2), more than max_failed_servers 0: the rollout stopped; 1 server(s) ' +
        'of later batches were not touched; 2 switched server(s) go back to their previous release',
    );
  });
});
