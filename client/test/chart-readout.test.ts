import { expect, test } from 'vitest';
import { chartLayout, type ChartFrame } from '../src/lib/paint/chart-draw';
import { chartReadout, nearest } from '../src/lib/view/chart-readout';

/** Text 6 px a character, as the recording canvas of chart-draw.test.ts measures it. */
const measure = { font: '', measureText: (text: string) => ({ width: 6 * text.length }) };

const frame: ChartFrame = {
  width: 400,
  height: 200,
  fontPx: 12,
  steps: [0, 10, 20, 30, 40],
  lines: [
    { label: 'training loss', values: [1, 0.5, NaN, 0.25, 0.2], color: '#t', width: 2, dash: [] },
    {
      label: 'accuracy',
      values: [0.5, 0.6, 0.7, 0.8, 0.9],
      color: '#a',
      width: 2,
      dash: [2, 3],
      share: true,
    },
  ],
  log: false,
  reach: [],
};

test('nearest finds the closest of ascending values, the lower one on a tie', () => {
  const values = [0, 10, 20, 30];
  expect([-5, 0, 4, 5, 6, 14, 26, 30, 99].map((t) => nearest(values, t))).toEqual([
    0, 0, 0, 0, 1, 1, 3, 3, 3,
  ]);
  expect(nearest([7], 100)).toBe(0);
});

test('a pointer reads the nearest step and every line there, the guide on its drawn x', () => {
  const { plot, x } = chartLayout(frame, measure);
  // A little right of step 30 on the plot, as the worker draws it.
  const at = chartReadout(frame, measure, x(30) + 3)!;
  expect(at.step).toBe(30);
  expect(at.x).toBeCloseTo(x(30));
  expect(at.top).toBe(plot.top);
  expect(at.height).toBe(plot.height);
  expect(at.flip).toBe(true);
  expect(at.values.map((v) => [v.label, v.text])).toEqual([
    ['training loss', '0.25'],
    ['accuracy', '80%'],
  ]);
  // A gap in a line reads as none.
  const gap = chartReadout(frame, measure, x(20))!;
  expect(gap.flip).toBe(false);
  expect(gap.values[0]!.text).toBe('—');
});

test('outside the plot or with no steps there is no readout', () => {
  const { plot } = chartLayout(frame, measure);
  expect(chartReadout(frame, measure, plot.left - 20)).toBeNull();
  expect(chartReadout(frame, measure, plot.left + plot.width + 20)).toBeNull();
  expect(chartReadout({ ...frame, steps: [], lines: [] }, measure, plot.left + 10)).toBeNull();
});
