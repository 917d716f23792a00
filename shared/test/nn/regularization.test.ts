import { describe, expect, test } from 'vitest';
import {
  findRegularizationProblem,
  regularizationGradient,
  regularizationPenalty,
  type Regularization,
} from '../../src/nn/regularization';

const L1: Regularization = { kind: 'l1', rate: 0.01 };
const L2: Regularization = { kind: 'l2', rate: 0.05 };

describe('regularization', () => {
  test('the gradient term: λ·sign(w) (0 at 0) for L1, λ·w for L2, 0 for none', () => {
    expect([-2, 0, 3].map((w) => regularizationGradient(L1, w))).toEqual([-0.01, 0, 0.01]);
    expect([-2, 0, 3].map((w) => regularizationGradient(L2, w))).toEqual([-0.1, 0, 0.05 * 3]);
    expect(regularizationGradient(undefined, 3)).toBe(0);
    expect(regularizationGradient(null, 3)).toBe(0);
  });

  test('the penalty: λ·Σ|w| and λ·½Σw², over any nesting of weights', () => {
    const nested = [
      [
        [1, -2],
        [0.5, 0],
      ],
      [[-3]],
    ];
    const flat = Float64Array.of(1, -2, 0.5, 0, -3);
    expect(regularizationPenalty(L1, nested)).toBeCloseTo(0.01 * 6.5, 15);
    expect(regularizationPenalty(L2, nested)).toBeCloseTo(0.05 * 0.5 * 14.25, 15);
    expect(regularizationPenalty(L2, flat)).toBe(regularizationPenalty(L2, nested));
    expect(regularizationPenalty(L2, [flat.subarray(0, 4), flat.subarray(4)])).toBe(
      regularizationPenalty(L2, flat),
    );
    expect(regularizationPenalty(undefined, flat)).toBe(0);
  });

  test('the gradient is the derivative of the penalty (central differences)', () => {
    const weights = Float64Array.of(0.7, -1.3, 2.1, -0.4);
    const h = 1e-6;
    for (const reg of [L1, L2]) {
      for (let i = 0; i < weights.length; i++) {
        const plus = Float64Array.from(weights);
        const minus = Float64Array.from(weights);
        plus[i]! += h;
        minus[i]! -= h;
        const numeric =
          (regularizationPenalty(reg, plus) - regularizationPenalty(reg, minus)) / (2 * h);
        expect(regularizationGradient(reg, weights[i]!)).toBeCloseTo(numeric, 7);
      }
    }
  });

  test('refuses unknown kinds and rates outside 0 … 0.1', () => {
    expect(findRegularizationProblem(L1)).toBeNull();
    expect(findRegularizationProblem({ kind: 'l2', rate: 0.2 })).toMatch(/between 0 and 0.1/);
    expect(findRegularizationProblem({ kind: 'l2', rate: -0.01 })).toMatch(/between/);
    expect(findRegularizationProblem({ kind: 'l3' as 'l1', rate: 0 })).toMatch(/unknown/);
  });
});
