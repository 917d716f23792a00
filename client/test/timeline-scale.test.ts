/**
 * The timeline in compressed time: checked against the replay clock itself (advance(),
 * which plays through idle stretches shortened), an independent walk through the same
 * recording: where playing for a while gets to is where the slider says it is.
 */
import { expect, test } from 'vitest';
import { advance, IDLE_SKIP } from '../src/lib/replay/clock';
import { timelineScale } from '../src/lib/replay/timeline-scale';

// A lesson: events every second for a minute, an idle hour, a minute more.
const HOUR = 3_600_000;
const events = [
  ...Array.from({ length: 61 }, (_, k) => k * 1000),
  ...Array.from({ length: 61 }, (_, k) => 60_000 + HOUR + k * 1000),
];
const firstT = 0;
const lastT = events.at(-1)!;
const idle: [number, number][] = [[60_000, 60_000 + HOUR]];

test('an idle hour takes as much of the timeline as it takes to play', () => {
  const scale = timelineScale(firstT, lastT, idle, true);
  expect(scale.length).toBeCloseTo(120_000 + IDLE_SKIP.compressedMs, 6);
  // The markers of the second minute are no longer bunched at the right: they start right
  // after the middle.
  expect(scale.percent(60_000 + HOUR)).toBeCloseTo(
    ((60_000 + IDLE_SKIP.compressedMs) / scale.length) * 100,
    6,
  );
  expect(scale.percent(lastT)).toBe(100);
  // Without skipping, linear in time, as before.
  const linear = timelineScale(firstT, lastT, idle, false);
  expect(linear.length).toBe(lastT - firstT);
  expect(linear.percent(60_000 + HOUR)).toBeCloseTo(((60_000 + HOUR) / lastT) * 100, 6);
});

test('the slider position is where playing gets to (the clock agrees)', () => {
  const scale = timelineScale(firstT, lastT, idle, true);
  for (const wallMs of [500, 30_000, 60_200, 60_500, 61_000, 100_000, 120_800]) {
    const played = advance(
      { t: firstT, gapStart: firstT, upcoming: events, complete: true, endT: lastT, wallMs },
      { speed: 1, skipIdle: true },
    );
    // At 1×, playback time is compressed time.
    expect(scale.at(played.t)).toBeCloseTo(Math.min(wallMs, scale.length), 6);
    expect(scale.timeAt(wallMs)).toBeCloseTo(played.t, 6);
  }
});

test('timeAt inverts at, and both clamp to the recording', () => {
  const scale = timelineScale(firstT, lastT, [[10_000, 15_000], ...idle], true);
  for (const t of [0, 9_999, 10_000, 12_345, 15_000, 59_000, 60_000 + 1234, lastT]) {
    expect(scale.timeAt(scale.at(t))).toBeCloseTo(t, 6);
  }
  expect(scale.at(-5)).toBe(0);
  expect(scale.at(lastT + 5)).toBe(scale.length);
  expect(scale.timeAt(-1)).toBe(firstT);
  expect(scale.timeAt(scale.length + 1)).toBeCloseTo(lastT, 6);
  // Gaps too short to be idle, or a recording of no length, change nothing.
  expect(timelineScale(0, 100, [[10, 20]], true).length).toBe(100);
  expect(timelineScale(5, 5, [], true).percent(5)).toBe(0);
});
