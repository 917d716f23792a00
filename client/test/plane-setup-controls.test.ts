import { describe, expect, it } from 'vitest';
import type { SetupModel } from '../src/lib/host-controls';
import {
  PLANE_DEFAULTS,
  withFeature,
  withNewPoints,
  withNoisePercent,
  withPoints,
  withRegularization,
} from '../src/lib/plane/setup-controls';

const MODEL: SetupModel = {
  datasetId: 'spiral',
  hidden: [8],
  activations: ['tanh', 'sigmoid'],
  trainBiases: true,
  seed: 1,
  dataSeed: 5,
  normalize: false,
  testFraction: 0.5,
  plane: PLANE_DEFAULTS,
};

describe('plane setup controls', () => {
  it('clamps noise to 0–50 % and points to 50–1000', () => {
    expect(withNoisePercent(MODEL, 35).plane?.noise).toBe(0.35);
    expect(withNoisePercent(MODEL, 80).plane?.noise).toBe(0.5);
    expect(withPoints(MODEL, 10).plane?.points).toBe(50);
    expect(withPoints(MODEL, 5000).plane?.points).toBe(1000);
    expect(withPoints(MODEL, Number.NaN).plane?.points).toBe(50);
  });

  it('keeps the features in their canonical order and never none', () => {
    const crossed = withFeature(withFeature(MODEL, 'sin2', true), 'x1x2', true);
    expect(crossed.plane?.features).toEqual(['x1', 'x2', 'x1x2', 'sin2']);
    const one = withFeature(withFeature(MODEL, 'x1', false), 'x2', false);
    expect(one.plane?.features).toEqual(['x2']);
  });

  it('"new points" changes only the data seed', () => {
    const next = withNewPoints(MODEL, () => 0.00005);
    expect(next.dataSeed).toBe(6);
    expect({ ...next, dataSeed: 5 }).toEqual(MODEL);
  });

  it('sets, clamps and removes regularization', () => {
    expect(withRegularization(MODEL, 'l2').regularization).toEqual({ kind: 'l2', rate: 0.001 });
    expect(withRegularization(MODEL, 'l1', 3).regularization).toEqual({ kind: 'l1', rate: 0.1 });
    const none = withRegularization(withRegularization(MODEL, 'l1', 0.01), 'none');
    expect('regularization' in none).toBe(false);
  });
});
