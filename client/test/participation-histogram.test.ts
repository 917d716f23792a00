import { describe, expect, it } from 'vitest';
import {
  RATE_AXIS,
  decadeTicks,
  logBins,
  logPosition,
  tickLabel,
} from '../src/lib/participation/histogram';

describe('logPosition', () => {
  it('places the ends and the decades evenly', () => {
    expect(logPosition(1e-5)).toBe(0);
    expect(logPosition(10)).toBe(1);
    // 10⁻⁵ … 10 is six decades: 0.01 is half way.
    expect(logPosition(0.01)).toBeCloseTo(0.5, 12);
    expect(logPosition(1e-4)).toBeCloseTo(1 / 6, 12);
  });

  it('clamps what lies outside, and puts nonsense at the start', () => {
    expect(logPosition(1e-9)).toBe(0);
    expect(logPosition(1e9)).toBe(1);
    expect(logPosition(0)).toBe(0);
    expect(logPosition(-1)).toBe(0);
    expect(logPosition(Number.NaN)).toBe(0);
  });
});

describe('logBins', () => {
  it('makes two bins per decade across the axis', () => {
    const bins = logBins([]);
    expect(bins).toHaveLength(12);
    expect(bins[0]!.lo).toBeCloseTo(1e-5, 18);
    expect(bins.at(-1)!.hi).toBeCloseTo(10, 9);
    for (let k = 1; k < bins.length; k++) expect(bins[k]!.lo).toBeCloseTo(bins[k - 1]!.hi, 12);
    expect(bins.every((b) => b.count === 0)).toBe(true);
  });

  it('puts a value on an edge into the bin that starts there', () => {
    const bins = logBins([{ value: 0.1 }, { value: 1e-3 }, { value: 1 }]);
    const binOf = (v: number) => bins.findIndex((b) => b.lo <= v * (1 + 1e-9) && v < b.hi);
    expect(bins[binOf(0.1)]!.count).toBe(1);
    expect(bins[binOf(1e-3)]!.count).toBe(1);
    expect(bins[binOf(1)]!.count).toBe(1);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(3);
  });

  it('keeps the axis ends inside, weighs by supporters and skips what is not a rate', () => {
    const bins = logBins([
      { value: 1e-5 },
      { value: 10, weight: 3 },
      { value: 100 },
      { value: 0 },
      { value: -0.1 },
      { value: Number.POSITIVE_INFINITY },
      { value: 0.05, weight: 0 },
    ]);
    expect(bins[0]!.count).toBe(1);
    // 10 (×3) and 100 (clamped) in the last bin.
    expect(bins.at(-1)!.count).toBe(4);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(5);
  });

  it('bins 0.03 and 0.05 together, 0.2 apart (half-decade bins)', () => {
    const bins = logBins([{ value: 0.05 }, { value: 0.04 }, { value: 0.2 }], RATE_AXIS, 2);
    const used = bins.filter((b) => b.count > 0);
    expect(used.map((b) => b.count)).toEqual([2, 1]);
    expect(used[0]!.lo).toBeCloseTo(10 ** -1.5, 12);
  });
});

describe('decade ticks', () => {
  it('lists the powers of ten and labels them readably', () => {
    const ticks = decadeTicks();
    expect(ticks).toEqual([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    expect(ticks.map(tickLabel)).toEqual(['10⁻⁵', '10⁻⁴', '10⁻³', '0.01', '0.1', '1', '10']);
    expect(tickLabel(1000)).toBe('10³');
  });
});
