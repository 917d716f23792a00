import { regularizationGradient, regularizationPenalty } from '@backprop/shared/nn';
import { describe, expect, it } from 'vitest';
import { housesState, workedExampleState } from '../src/components/fixtures';
import { errorCurve } from '../src/lib/view/error-curve';
import { specOf } from '../src/lib/view/stage-progress';

describe('errorCurve', () => {
  it('passes through the batch error at the current weight (Mazur E = 0.298371109)', () => {
    const state = workedExampleState(6);
    const curve = errorCurve(specOf(state.setup), state.trace!, { layer: 1, to: 0, from: 0 })!;
    expect(curve.e0).toBeCloseTo(0.298371109, 8);
    expect(curve.w0).toBe(0.4);
    expect(curve.w1).toBeCloseTo(0.35891648, 8);
    expect(curve.points).toHaveLength(61);
    expect(curve.wMin).toBeCloseTo(-0.6);
    expect(curve.wMax).toBeCloseTo(1.4);
  });

  it('has the trace gradient as its slope, also for a batch mean (houses, batch 16)', () => {
    for (const state of [workedExampleState(6), housesState()]) {
      const spec = specOf(state.setup);
      for (const weight of [
        { layer: 0, to: 1, from: 0 },
        { layer: 1, to: 0, from: 1 },
      ]) {
        const curve = errorCurve(spec, state.trace!, weight)!;
        const h = 1e-5;
        const near = (w: number) =>
          errorCurve(
            spec,
            { ...state.trace!, weightsBefore: withWeight(state.trace!.weightsBefore, weight, w) },
            weight,
          )!.e0;
        const numeric = (near(curve.w0 + h) - near(curve.w0 - h)) / (2 * h);
        expect(curve.slope).toBeCloseTo(numeric, 6);
      }
    }
  });

  it.each(['l1', 'l2'] as const)(
    'with %s regularization, is E with its penalty and steps as the update does',
    (kind) => {
      const state = housesState();
      const trace = state.trace!;
      const spec = specOf(state.setup);
      const regularization = { kind, rate: 0.05 };
      const weight = { layer: 0, to: 1, from: 0 };
      const curve = errorCurve(spec, trace, weight, { regularization })!;
      const plain = errorCurve(spec, trace, weight)!;
      // E at the weight: the data loss plus λ·R over every weight (the reducer's penalty).
      expect(curve.e0).toBeCloseTo(
        plain.e0 + regularizationPenalty(regularization, trace.weightsBefore),
        12,
      );
      // The slope is the curve's own (central differences), data part plus λ·∂R/∂w ...
      const h = 1e-5;
      const near = (w: number) =>
        errorCurve(
          spec,
          { ...trace, weightsBefore: withWeight(trace.weightsBefore, weight, w) },
          weight,
          { regularization },
        )!.e0;
      expect(curve.slope).toBeCloseTo((near(curve.w0 + h) - near(curve.w0 - h)) / (2 * h), 6);
      expect(curve.slope).not.toBeCloseTo(plain.slope, 6);
      // ... and the step lands where the trainer's update puts the weight.
      const w0 = trace.weightsBefore[0]![1]![0]!;
      const total = trace.gradWeights[0]![1]![0]! + regularizationGradient(regularization, w0);
      expect(curve.w1).toBe(w0 - trace.learningRate * total);
    },
  );

  it('zooms in on the step on request', () => {
    const state = workedExampleState(6);
    const curve = errorCurve(
      specOf(state.setup),
      state.trace!,
      { layer: 1, to: 0, from: 0 },
      {
        range: 'step',
      },
    )!;
    const step = Math.abs(curve.w1 - curve.w0);
    expect(curve.wMax - curve.w0).toBeCloseTo(4 * step, 12);
    expect(curve.e1).toBeLessThan(curve.e0);
  });

  it('is null before the gradient exists', () => {
    const state = workedExampleState(2);
    expect(errorCurve(specOf(state.setup), state.trace!, { layer: 1, to: 0, from: 0 })).toBeNull();
  });
});

function withWeight(
  weights: number[][][],
  w: { layer: number; to: number; from: number },
  value: number,
) {
  return weights.map((m, l) =>
    m.map((row, j) => row.map((v, i) => (l === w.layer && j === w.to && i === w.from ? value : v))),
  );
}
