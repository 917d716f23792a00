import { describe, expect, it } from 'vitest';
import type { RaceFork } from '@backprop/shared/session';
import { FORK_COLORS, forkStatus, leadingFork, raceSeries } from '../src/lib/participation/race';

const points = (...pairs: [number, number][]) =>
  pairs.map(([step, train]) => ({ step, train, test: null }));

const fork = (rate: number, loss: [number, number][], extra: Partial<RaceFork> = {}): RaceFork => ({
  rate,
  stepsDone: loss.length,
  loss: points(...loss),
  diverged: null,
  ...extra,
});

describe('raceSeries', () => {
  it('aligns the forks on the union of their steps, with gaps where one has no point', () => {
    const {
      steps,
      series: [a, b],
    } = raceSeries([
      fork(0.1, [
        [1, 0.5],
        [2, 0.4],
        [3, 0.3],
      ]),
      fork(10, [[1, 9]]),
    ]);
    expect(steps).toEqual([1, 2, 3]);
    expect(a).toEqual([0.5, 0.4, 0.3]);
    expect(b).toEqual([9, NaN, NaN]);
  });

  it('turns losses a log scale cannot show into gaps', () => {
    const {
      series: [a],
    } = raceSeries(
      [
        fork(0.1, [
          [1, 0],
          [2, 0.2],
        ]),
      ],
      true,
    );
    expect(a).toEqual([NaN, 0.2]);
  });
});

describe('forkStatus', () => {
  const race = { steps: 100, status: 'running' as const };
  it('says where each fork is, and where one diverged (never NaN)', () => {
    expect(forkStatus(fork(0.1, [[5, 0.25]], { stepsDone: 40 }), race)).toBe(
      '40 of 100 steps, loss 0.25',
    );
    expect(forkStatus(fork(0.1, [[100, 0.01]], { stepsDone: 100 }), race)).toBe(
      'finished, loss 0.01',
    );
    const diverged = fork(10, [[3, 1e6]], {
      stepsDone: 3,
      diverged: { step: 4, learningRate: 10, reason: 'the loss exploded' },
    });
    expect(forkStatus(diverged, race)).toBe('diverged at step 4');
    expect(forkStatus(fork(0.1, [], { stepsDone: 0 }), { steps: 10, status: 'cancelled' })).toBe(
      'stopped after 0 steps',
    );
    // One step agrees with its noun: a race may be a single step long.
    expect(forkStatus(fork(0.1, [[1, 0.2]]), { steps: 1, status: 'cancelled' })).toBe(
      'finished, loss 0.2',
    );
    expect(forkStatus(fork(0.1, [], { stepsDone: 1 }), { steps: 5, status: 'cancelled' })).toBe(
      'stopped after 1 step',
    );
    expect(forkStatus(fork(0.1, [], { stepsDone: 0 }), { steps: 1, status: 'running' })).toBe(
      '0 of 1 step',
    );
  });
});

describe('leadingFork', () => {
  it('picks the lowest final loss among forks that did not diverge', () => {
    const forks = [
      fork(0.01, [[10, 0.3]]),
      fork(1, [[3, 0.001]], { diverged: { step: 4, learningRate: 1, reason: 'x' } }),
      fork(0.1, [[10, 0.05]]),
    ];
    expect(leadingFork(forks)).toBe(2);
    expect(leadingFork([])).toBeNull();
  });

  it('has a colour per fork', () => {
    expect(FORK_COLORS).toHaveLength(4);
  });
});
