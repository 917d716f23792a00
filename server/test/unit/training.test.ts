import { describe, expect, test } from 'vitest';
import { builtinDataset } from '@backprop/shared/data';
import { isExplodingLoss } from '../../src/training/divergence';
import { Training } from '../../src/training/training';
import { SetupError } from '../../src/training/setup-error';
import { suggestedChoice } from '../../src/training/defaults';

describe('isExplodingLoss', () => {
  test('compares with a million times the first loss, taken as at least 1', () => {
    expect(isExplodingLoss(1e12, null)).toBe(false);
    expect(isExplodingLoss(0.9e6, 1e-9)).toBe(false);
    expect(isExplodingLoss(1.1e6, 1e-9)).toBe(true);
    expect(isExplodingLoss(4e16, 5e10)).toBe(false); // unnormalized prices start huge
    expect(isExplodingLoss(6e16, 5e10)).toBe(true);
    expect(isExplodingLoss(Infinity, 1)).toBe(true);
  });
});

describe('Training', () => {
  test('refuses architectures that do not fit, with a readable reason', () => {
    const ds = builtinDataset('xor');
    const base = suggestedChoice('xor');
    expect(() => new Training({ ...base, hidden: [2], activations: ['tanh'] }, ds)).toThrow(
      SetupError,
    );
    expect(
      () => new Training({ ...base, hidden: [65], activations: ['tanh', 'tanh'] }, ds),
    ).toThrow(/layers\[1\]/);
  });

  test('a run in slices sums its losses exactly as one run (an epoch mean cannot depend on timing)', () => {
    const limits = (maxSteps: number) => ({
      maxSteps,
      untilEpochEnds: false,
      shouldStop: () => false,
    });
    const whole = new Training(suggestedChoice('houses'), builtinDataset('houses'));
    const sliced = new Training(suggestedChoice('houses'), builtinDataset('houses'));
    const one = whole.run(1, 0.05, limits(30));
    let sum = 0;
    for (const slice of [7, 11, 1, 11]) sum = sliced.run(1, 0.05, limits(slice), sum).lossSum;
    expect(sum).toBe(one.lossSum);
    let separately = 0;
    sliced.reset();
    for (const slice of [7, 11, 1, 11]) separately += sliced.run(1, 0.05, limits(slice)).lossSum;
    // What the room did before: a sum per slice, then the slices (other last bits).
    expect(Math.abs(separately - one.lossSum)).toBeLessThan(1e-12 * one.lossSum);
  });

  test('an epoch of whole batches visits each training row once', () => {
    const training = new Training(suggestedChoice('houses'), builtinDataset('houses'));
    const ran = training.run(16, 0.05, {
      maxSteps: Infinity,
      untilEpochEnds: true,
      shouldStop: () => false,
    });
    expect(ran).toMatchObject({ steps: 10, divergence: null });
    expect(training).toMatchObject({ stepCount: 10, epoch: 1 });
    training.reset();
    expect(training).toMatchObject({ stepCount: 0, epoch: 0 });
  });

  test("a refused step that drew an epoch's last batch does not move the epoch shown", () => {
    const training = new Training(suggestedChoice('houses'), builtinDataset('houses'));
    const limits = { maxSteps: 9, untilEpochEnds: false, shouldStop: () => false };
    expect(training.run(16, 0.05, limits).divergence).toBeNull(); // 144 of 160 rows
    const refused = training.run(16, 1e308, { ...limits, maxSteps: 1 });
    expect(refused.divergence).not.toBeNull();
    // Its batch (the epoch's last 16 rows) was drawn, but the step is not counted.
    expect(training).toMatchObject({ stepCount: 9, epoch: 0 });
    expect(training.progress([]).epoch).toBe(0);
    // The next step takes the rows after the refused batch: the new epoch's first.
    expect(training.run(16, 0.05, { ...limits, maxSteps: 1 }).divergence).toBeNull();
    expect(training).toMatchObject({ stepCount: 10, epoch: 1 });
  });

  test('a fit view of at most 200 rows, spread over the data', () => {
    const training = new Training(suggestedChoice('sine'), builtinDataset('sine'));
    const fit = training.fit();
    expect(fit.rows).toHaveLength(100);
    expect(fit.predicted.every(Number.isFinite)).toBe(true);
  });
});
