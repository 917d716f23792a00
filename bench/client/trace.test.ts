import { expect, test } from 'vitest';
import { frameCosts, percentile, type TraceEvent } from './trace';

// A page's main thread (pid 1, tid 1) and another thread; the trace's clock is the page's
// (ms) × 1000 + 5,000,000 µs.
const OFFSET = 5_000_000;
const at = (pageMs: number) => pageMs * 1000 + OFFSET;
const task = (startMs: number, durMs: number, tid = 1): TraceEvent => ({
  name: 'ThreadControllerImpl::RunTask',
  cat: 'toplevel',
  ph: 'X',
  ts: at(startMs),
  dur: durMs * 1000,
  tdur: (durMs * 1000) / 4,
  pid: 1,
  tid,
});
const mark = (n: number, pageMs: number): TraceEvent => ({
  name: `bp-frame ${n}`,
  cat: 'blink.user_timing',
  ph: 'I',
  ts: at(pageMs),
  pid: 1,
  tid: 1,
});

test("each frame costs the main thread's tasks until the next frame, a task split at a frame", () => {
  // Frames arrive every 100 ms; only frames 0 and 2 are marked in the trace (MARK_EVERY).
  const frameTimes = [1000, 1100, 1200, 1300];
  const events = [
    mark(0, 1000),
    mark(2, 1200),
    task(1000, 6), // frame 0's own task
    task(1050, 3), // a timer in frame 0's interval
    task(1100, 5), // frame 1's task
    task(1195, 10), // a task spanning frame 2's arrival: 5 ms to frame 1, 5 to frame 2
    task(1250, 40, 2), // another thread: not the page's
    task(1300, 2), // frame 3's task: after the last interval
  ];
  const costs = frameCosts(events, { frameTimes, paintTimes: [], longFrames: [] });
  expect(costs.perFrame).toEqual([9, 10, 5]);
  // Thread time is the task's, in proportion to the part in each interval.
  expect(costs.cpuPerFrame).toEqual([2.25, 2.5, 1.25]);
  expect(costs.longestTaskMs).toBe(10);
  // Without the timeline's categories there is nothing to say where the time went.
  expect(costs.byKind).toEqual({});
});

test('a nested task is counted once, and long animation frames give the longest paint gap', () => {
  const frameTimes = [0, 100, 200];
  const nested = { ...task(10, 2), name: 'RunTask' };
  // The frames' own tasks (1 ms) and, in the first interval, one with a task nested in it.
  const events = [
    ...[0, 100, 200].flatMap((t, n) => [mark(n, t), task(t, 1)]),
    task(10, 8),
    nested,
    task(150, 4),
  ];
  const costs = frameCosts(events, {
    frameTimes,
    paintTimes: [],
    longFrames: [
      [120, 70],
      [900, 300], // after the window: not counted
    ],
  });
  expect(costs.perFrame).toEqual([9, 5]);
  expect(costs.longestPaintGapMs).toBe(70);
});

test('the p95 of a list is its value at the 95th percent place', () => {
  const values = Array.from({ length: 100 }, (_, k) => 100 - k);
  expect(percentile(values, 95)).toBe(96);
  expect(percentile(values, 50)).toBe(51);
  expect(percentile([], 95)).toBe(0);
});
