import { describe, expect, it } from 'vitest';
import { assignToStages } from '../../../src/approval/assign-to-stages.js';

const stage = (members: string[], required: number) => ({ members: new Set(members), required });

describe('assignToStages', () => {
  it.each([
    {
      name: 'fills earlier stages first',
      stages: [stage(['a', 'b'], 1), stage(['a', 'b'], 1)],
      candidates: ['a', 'b'],
      expected: { a: 0, b: 1 },
    },
    {
      name: 'moves a shared person to the later stage when someone else can fill the earlier one',
      stages: [stage(['a', 'b'], 1), stage(['b'], 1)],
      candidates: ['b', 'a'],
      expected: { a: 0, b: 1 },
    },
    {
      name: 'chains of moves (augmenting path through two stages)',
      stages: [stage(['x', 'y'], 1), stage(['y', 'z'], 1), stage(['z'], 1)],
      candidates: ['y', 'z', 'x'],
      expected: { x: 0, y: 1, z: 2 },
    },
    {
      name: 'never takes a slot from an earlier stage to fill a later one',
      stages: [stage(['a'], 1), stage(['a'], 1)],
      candidates: ['a'],
      expected: { a: 0 },
    },
    {
      name: 'surplus candidates stay unassigned; required 0 takes nobody',
      stages: [stage(['a', 'b', 'c'], 2), stage(['a'], 0)],
      candidates: ['a', 'b', 'c'],
      expected: { a: 0, b: 0 },
    },
  ])('$name', ({ stages, candidates, expected }) => {
    expect(Object.fromEntries(assignToStages(stages, candidates))).toEqual(expected);
  });
});
