import type { Dataset } from '../dataset';

export const SINE_ROWS = 100;

/**
 * y = sin(x) at evenly spaced points from −π to π, both ends included. No noise: the
 * point is to watch a network bend itself into a known curve.
 */
export function sineDataset(): Dataset {
  const rows = SINE_ROWS;
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = -Math.PI + (2 * Math.PI * r) / (rows - 1);
    x[r] = v;
    y[r] = Math.sin(v);
  }
  return {
    id: 'sine',
    title: 'Sine curve',
    description: `y = sin(x) at ${rows} evenly spaced points from −π to π, without noise: a curve for a small network to bend into.`,
    inputs: [{ name: 'x', unit: 'rad', format: 'number' }],
    targets: [{ name: 'sin(x)', format: 'number' }],
    rows,
    x,
    y,
  };
}
