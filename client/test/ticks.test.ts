import { describe, expect, it } from 'vitest';
import { labelRows, linearScale, logTicks, niceTicks } from '../src/lib/view/ticks';

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(93_000, 612_000, 5)).toEqual([
      100_000, 200_000, 300_000, 400_000, 500_000, 600_000,
    ]);
    expect(niceTicks(-0.6, 1.4, 4)).toEqual([-0.5, 0, 0.5, 1]);
  });

  it('gives a flat series an axis and refuses non-finite input', () => {
    expect(niceTicks(2, 2).length).toBeGreaterThan(1);
    expect(niceTicks(0, Infinity)).toEqual([]);
  });

  it('maps linearly, including reversed ranges (SVG y grows downwards)', () => {
    const y = linearScale(0, 10, 100, 0);
    expect(y(0)).toBe(100);
    expect(y(5)).toBe(50);
  });
});

describe('logTicks', () => {
  it('keeps to the powers of ten over several decades', () => {
    expect(logTicks(0.0008, 1.3)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logTicks(0.5, 2e6)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
  });

  it('adds 2× and 5× where too few powers fall inside', () => {
    expect(logTicks(0.003, 0.3)).toEqual([0.005, 0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(logTicks(1.5, 4)).toEqual([2]);
  });

  it('has nothing for a range that is not positive', () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(-1, 1)).toEqual([]);
  });
});

describe('labelRows', () => {
  it('puts overlapping labels on separate rows, and reuses a row once it is clear', () => {
    // "α 0.3" at 100–130 and "diverged (α 10)" at 104–190 overlap; a third far right does not.
    expect(
      labelRows([
        { left: 100, right: 130 },
        { left: 104, right: 190 },
        { left: 300, right: 340 },
        { left: 120, right: 160 },
        { left: 135, right: 160 },
      ]),
    ).toEqual([0, 1, 0, 2, 0]);
  });
});
