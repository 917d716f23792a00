import { describe, expect, it } from 'vitest';
import {
  HEAT_STOPS,
  heatRgb,
  outputDomain,
  paintCells,
  scaled,
  unitDomain,
} from '../src/lib/plane/heat-scale';
import { PALETTE } from '../src/lib/view/palette';

const hex = (rgb: number[]) => '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');

describe('heat scale', () => {
  it('runs from the negative weight colour through white-ish to the positive one', () => {
    expect(hex(heatRgb(-1))).toBe(PALETTE.negative);
    expect(hex(heatRgb(1))).toBe(PALETTE.positive);
    expect(hex(heatRgb(0))).toBe(HEAT_STOPS[4]);
    // Out-of-range values clamp to the ends.
    expect(heatRgb(-7)).toEqual(heatRgb(-1));
  });

  it('is diverging: lightness rises to the middle and falls on both sides', () => {
    const light = (t: number) => heatRgb(t).reduce((s, c) => s + c, 0);
    for (const t of [-1, -0.75, -0.5, -0.25]) expect(light(t)).toBeLessThan(light(t + 0.25));
    for (const t of [0, 0.25, 0.5, 0.75]) expect(light(t)).toBeGreaterThan(light(t + 0.25));
  });

  it('keeps the two arms apart for red–green colour blindness (blue against orange)', () => {
    // The blue arm has more blue than red, the orange arm more red than blue, at every step.
    for (const t of [0.25, 0.5, 0.75, 1]) {
      const [r, , b] = heatRgb(t);
      expect(b).toBeGreaterThan(r);
      const [r2, , b2] = heatRgb(-t);
      expect(r2).toBeGreaterThan(b2);
    }
  });

  it('puts the decision boundary in the middle of the output domain', () => {
    expect(outputDomain('sigmoid', true)).toEqual({ lo: 0, hi: 1 });
    expect(outputDomain('tanh', true)).toEqual({ lo: -1, hi: 1 });
    expect(outputDomain('sigmoid', false)).toEqual({ lo: -1, hi: 1 });
    expect(scaled(0.5, { lo: 0, hi: 1 })).toBe(0);
    expect(scaled(2, { lo: 0, hi: 1 })).toBe(1);
    expect(Number.isNaN(scaled(Number.NaN, { lo: 0, hi: 1 }))).toBe(true);
  });

  it('scales unbounded units symmetrically by their largest value', () => {
    expect(unitDomain(new Float64Array([-2, 5, 1]), 'relu')).toEqual({ lo: -5, hi: 5 });
    expect(unitDomain(new Float64Array([0, 0]), null)).toEqual({ lo: -1, hi: 1 });
    expect(unitDomain(new Float64Array([9]), 'tanh')).toEqual({ lo: -1, hi: 1 });
  });

  it('paints cells, and two flat colours split at the boundary when discretized', () => {
    const values = new Float64Array([0, 0.49, 0.51, 1]);
    const pixels = new Uint8ClampedArray(16);
    paintCells(values, { lo: 0, hi: 1 }, false, pixels);
    expect(hex([...pixels.subarray(0, 3)])).toBe(PALETTE.negative);
    expect(hex([...pixels.subarray(12, 15)])).toBe(PALETTE.positive);
    expect(pixels[3]).toBe(255);
    paintCells(values, { lo: 0, hi: 1 }, true, pixels);
    expect([...pixels.subarray(0, 4)]).toEqual([...pixels.subarray(4, 8)]);
    expect([...pixels.subarray(8, 12)]).toEqual([...pixels.subarray(12, 16)]);
    expect([...pixels.subarray(0, 4)]).not.toEqual([...pixels.subarray(8, 12)]);
  });
});
