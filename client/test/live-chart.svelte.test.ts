import { flushSync } from 'svelte';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { CHART_REDRAW_MS, liveChart } from '../src/lib/view/live-chart.svelte';

// No canvas here: the drawing records the points it is handed.
const drawn: number[][] = [];

beforeEach(() => {
  drawn.length = 0;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const points = (n: number): number[] => Array.from({ length: n }, (_, k) => k);

/** A live chart on reactive points; `streaming` undefined leaves the option out. */
function setup(streaming?: boolean) {
  const source = $state({ data: points(0), streaming });
  const stop = $effect.root(() => {
    liveChart({
      container: () => ({}) as HTMLElement,
      data: () => source.data,
      draw: (data) => drawn.push([...data]),
      ...(streaming === undefined ? {} : { streaming: () => source.streaming ?? true }),
    });
  });
  flushSync();
  return { source, stop };
}

test('while points stream in, a chart takes them at most every CHART_REDRAW_MS, the newest last', () => {
  const { source, stop } = setup();
  const built = drawn.length;
  source.data = points(1);
  flushSync();
  source.data = points(2);
  flushSync();
  expect(drawn.length, 'held back within the interval').toBe(built);
  vi.advanceTimersByTime(CHART_REDRAW_MS);
  expect(drawn.at(-1)).toEqual(points(2));
  stop();
});

test('the final points are drawn at once, not a redraw interval after the words that say so', () => {
  const { source, stop } = setup(true);
  source.data = points(1);
  flushSync();
  expect(drawn.at(-1), 'still streaming: held back').toEqual(points(0));
  // The race finishes with its last points: they are on the chart before any timer runs.
  source.data = points(2);
  source.streaming = false;
  flushSync();
  expect(drawn.at(-1)).toEqual(points(2));
  const count = drawn.length;
  vi.advanceTimersByTime(10 * CHART_REDRAW_MS);
  expect(drawn.length, 'no late redraw of the same points').toBe(count);
  stop();
});
