import { describe, expect, test } from 'vitest';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  activateRange,
  activationCode,
  isActivationName,
  timesDerRange,
} from '../../src/nn/activations';

// Away from relu's kink at 0.
const POINTS = [-3, -0.7, -0.01, 0.02, 0.5, 2.5];

describe('activations', () => {
  test('known values', () => {
    expect(ACTIVATIONS.sigmoid.output(0)).toBe(0.5);
    expect(ACTIVATIONS.sigmoid.output(2)).toBeCloseTo(0.8807970779778823, 15);
    expect(ACTIVATIONS.tanh.output(0.5)).toBeCloseTo(0.46211715726000974, 15);
    expect(ACTIVATIONS.relu.output(-2)).toBe(0);
    expect(ACTIVATIONS.relu.output(1.5)).toBe(1.5);
    expect(ACTIVATIONS.linear.output(-4.25)).toBe(-4.25);
  });

  test.each(ACTIVATION_NAMES)('%s: der matches a central difference of output', (name) => {
    const f = ACTIVATIONS[name];
    for (const z of POINTS) {
      const h = 1e-6;
      const numeric = (f.output(z + h) - f.output(z - h)) / (2 * h);
      expect(f.der(z, f.output(z))).toBeCloseTo(numeric, 8);
    }
  });

  test("relu'(0) is 0, and relu never returns −0", () => {
    expect(ACTIVATIONS.relu.der(0, 0)).toBe(0);
    expect(Object.is(ACTIVATIONS.relu.output(-0), 0)).toBe(true);
    expect(Object.is(ACTIVATIONS.relu.output(-3), 0)).toBe(true);
  });

  test('extreme inputs saturate rather than produce NaN; NaN goes through', () => {
    expect(ACTIVATIONS.sigmoid.output(-1000)).toBe(0);
    expect(ACTIVATIONS.sigmoid.output(1000)).toBe(1);
    for (const name of ACTIVATION_NAMES) expect(ACTIVATIONS[name].output(NaN)).toBeNaN();
  });

  test.each(ACTIVATION_NAMES)('%s: the hot-loop code path is bit-identical', (name) => {
    const f = ACTIVATIONS[name];
    const z = Float64Array.from(POINTS);
    const a = new Float64Array(z.length);
    activateRange(activationCode(name), z, a, 0, z.length);
    expect(Array.from(a)).toEqual(POINTS.map(f.output));
    const factor = Float64Array.from(POINTS, (_, k) => 0.3 * k - 1);
    const out = new Float64Array(z.length);
    timesDerRange(activationCode(name), factor, z, a, out, 0, z.length);
    expect(Array.from(out)).toEqual(POINTS.map((v, k) => factor[k]! * f.der(v, a[k]!)));
  });

  test('names, codes and formulas', () => {
    ACTIVATION_NAMES.forEach((name, code) => {
      expect(ACTIVATIONS[name].name).toBe(name);
      expect(activationCode(name)).toBe(code);
      expect(ACTIVATIONS[name].formula).not.toBe('');
      expect(ACTIVATIONS[name].derFormula).not.toBe('');
    });
    expect(ACTIVATIONS.sigmoid.formula).toBe('σ(z) = 1/(1+e^−z)');
    expect(isActivationName('tanh')).toBe(true);
    expect(isActivationName('softmax')).toBe(false);
    expect(isActivationName(3)).toBe(false);
  });
});
