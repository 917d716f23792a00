import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks } from '../src/lib/view/ticks';

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
