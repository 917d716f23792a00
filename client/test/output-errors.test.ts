import { describe, expect, it } from 'vitest';
import { housesState, workedExampleState } from '../src/components/fixtures';
import { outputErrorLines, outputErrors } from '../src/lib/view/output-errors';

describe('outputErrors', () => {
  it('gives each output its target and ŷ − y once the error stage has run', () => {
    // The worked example (Mazur): outputs 0.75136507 and 0.772928465, targets 0.01, 0.99.
    const state = workedExampleState(3);
    const errors = outputErrors(state);
    expect(errors).toHaveLength(2);
    const trace = state.trace!;
    errors.forEach((e, k) => {
      expect(e.unit).toBe(k);
      expect(e.prediction).toBe(trace.a[2]![k]);
      expect(e.target).toBe(trace.target[k]);
      expect(e.error).toBeCloseTo(e.prediction - e.target, 12);
    });
    expect(errors[0]!.prediction).toBeCloseTo(0.75136507, 7);
    expect(errors[0]!.error).toBeCloseTo(0.74136507, 7);
    expect(errors[1]!.error).toBeCloseTo(0.772928465 - 0.99, 7);
    expect(outputErrorLines(errors[1]!)).toEqual(['y = 0.99', 'ŷ−y = −0.2171']);
  });

  it('shows nothing before the error stage, after it, or for a whole step', () => {
    expect(outputErrors(workedExampleState(2))).toEqual([]);
    expect(outputErrors(workedExampleState(4))).toEqual([]);
    expect(outputErrors(workedExampleState(6))).toEqual([]);
    expect(outputErrors(housesState())).toEqual([]);
  });
});
