import { describe, expect, it } from 'vitest';
import {
  chartScales,
  countPoints,
  plottedPoints,
  stepTicks,
  type ChartData,
  type ChartLine,
} from '../src/lib/view/chart-scales';

const line = (values: number[], share = false): ChartLine => ({
  values,
  color: '#000',
  width: 2,
  dash: [],
  ...(share ? { share } : {}),
});
const chart = (data: Partial<ChartData>): ChartData => ({
  steps: [],
  lines: [],
  log: false,
  reach: [],
  marks: [],
  ...data,
});

describe('chartScales', () => {
  it('runs a linear loss axis from 0 to the largest loss, and steps from first to last', () => {
    const scales = chartScales(chart({ steps: [10, 20, 30], lines: [line([0.5, 2, NaN])] }));
    expect(scales).toEqual({ steps: [10, 30], left: [0, 2], share: false });
  });

  it('has an axis before any point: steps 0 to 1, losses 0 to 1', () => {
    expect(chartScales(chart({}))).toEqual({ steps: [0, 1], left: [0, 1], share: false });
  });

  it('reaches the marks and a race’s end beyond the data, and is a step wide at least', () => {
    expect(chartScales(chart({ steps: [5], lines: [line([1])], reach: [0] })).steps).toEqual([
      0, 5,
    ]);
    expect(chartScales(chart({ steps: [5], lines: [line([1])] })).steps).toEqual([5, 6]);
    expect(chartScales(chart({ reach: [100, 600] })).steps).toEqual([100, 600]);
  });

  it('spans whole decades on a log scale, and has no range with nothing above 0', () => {
    const log = (values: number[]) =>
      chartScales(chart({ steps: values.map((_, k) => k), lines: [line(values)], log: true })).left;
    expect(log([0.03, 0.5, 0, -1])).toEqual([0.01, 1]);
    expect(log([1, 1])).toEqual([1, 10]);
    expect(log([0.1, 100])).toEqual([0.1, 100]);
    expect(log([0, NaN])).toBeNull();
  });

  it('leaves the accuracy (a share on its own axis) out of the loss axis', () => {
    const scales = chartScales(
      chart({ steps: [1, 2], lines: [line([0.2, 0.1]), line([0.9, 1], true)] }),
    );
    expect(scales.left).toEqual([0, 0.2]);
    expect(scales.share).toBe(true);
  });
});

describe('plottedPoints and countPoints', () => {
  it('counts what the data holds, and what a scale can place of it', () => {
    const data = chart({
      steps: [1, 2, 3],
      lines: [line([0.5, 0, NaN]), line([0.5, 0.75, 1], true)],
      log: true,
    });
    expect(countPoints(data.lines)).toBe(5);
    // A loss of 0 has no place on a log scale; the accuracy's own axis is linear.
    expect(plottedPoints(data, chartScales(data))).toBe(4);
    const none = chart({ steps: [1], lines: [line([0]), line([0.5], true)], log: true });
    expect(plottedPoints(none, chartScales(none)), 'no loss axis: only the accuracy').toBe(1);
  });
});

describe('stepTicks', () => {
  it('puts round whole steps, as many as fit', () => {
    expect(stepTicks(0, 10_000, 5)).toEqual([0, 2500, 5000, 7500, 10_000]);
    expect(stepTicks(0, 10_000, 4)).toEqual([0, 5000, 10_000]);
    expect(stepTicks(3, 47, 6)).toEqual([10, 20, 30, 40]);
    expect(stepTicks(0, 1, 10)).toEqual([0, 1]);
  });

  it('never splits a step, and ends with no room for any', () => {
    expect(stepTicks(0, 3, 100)).toEqual([0, 1, 2, 3]);
    expect(stepTicks(0, 7, 0)).toEqual([0]);
    expect(stepTicks(5, 4, 3)).toEqual([]);
  });
});
