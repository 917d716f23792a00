import { describe, expect, test } from 'vitest';
import {
  advance,
  dueCount,
  formatClock,
  gapRate,
  lastAtOrBefore,
  parseClock,
  spokenDuration,
  type AdvanceInput,
} from '../src/lib/replay/clock';

const IDLE = { thresholdMs: 2000, compressedMs: 500 };
const base: AdvanceInput = {
  t: 0,
  gapStart: 0,
  upcoming: [],
  complete: true,
  endT: 0,
  wallMs: 0,
};

describe('gapRate', () => {
  test('short gaps play in real time; long ones shrink to the compressed length', () => {
    expect(gapRate(1500, true, IDLE)).toBe(1);
    expect(gapRate(2000, true, IDLE)).toBe(1);
    expect(gapRate(10_000, true, IDLE)).toBe(20);
    expect(gapRate(10_000, false, IDLE)).toBe(1);
  });
});

describe('advance', () => {
  test('moves at the speed between events', () => {
    const input = { ...base, upcoming: [1000, 2000], endT: 2000, wallMs: 100 };
    expect(advance(input, { speed: 1, skipIdle: false, idle: IDLE }).t).toBe(100);
    expect(advance(input, { speed: 0.5, skipIdle: false, idle: IDLE }).t).toBe(50);
    expect(advance(input, { speed: 8, skipIdle: false, idle: IDLE }).t).toBe(800);
  });

  test('crosses several events in one advance', () => {
    const moved = advance(
      { ...base, upcoming: [100, 200, 300, 5000], endT: 5000, wallMs: 350 },
      { speed: 1, skipIdle: false, idle: IDLE },
    );
    expect(moved).toEqual({ t: 350, stalled: false, ended: false });
  });

  test('an idle stretch passes in the compressed time, swept through, not jumped', () => {
    // Events at 0 and 10 s: a 10 s gap plays in 0.5 s when skipping (20× faster).
    const input = { ...base, upcoming: [10_000], endT: 10_000, wallMs: 250 };
    expect(advance(input, { speed: 1, skipIdle: true, idle: IDLE }).t).toBe(5000);
    expect(advance(input, { speed: 1, skipIdle: false, idle: IDLE }).t).toBe(250);
    // The speed multiplies on top: at 2× the whole gap goes by in 250 ms.
    expect(advance(input, { speed: 2, skipIdle: true, idle: IDLE })).toEqual({
      t: 10_000,
      stalled: false,
      ended: true,
    });
  });

  test('the rate of a gap depends on the whole gap, also from its middle', () => {
    const moved = advance(
      { ...base, t: 5000, gapStart: 0, upcoming: [10_000, 10_100], endT: 10_100, wallMs: 100 },
      { speed: 1, skipIdle: true, idle: IDLE },
    );
    expect(moved.t).toBe(7000);
  });

  test('after a compressed gap the next short gap plays in real time again', () => {
    const moved = advance(
      { ...base, upcoming: [10_000, 11_000], endT: 11_000, wallMs: 600 },
      { speed: 1, skipIdle: true, idle: IDLE },
    );
    expect(moved.t).toBe(10_100);
  });

  test('waits at the last fetched event when more are coming', () => {
    const moved = advance(
      { ...base, upcoming: [100], complete: false, endT: 9000, wallMs: 500 },
      { speed: 1, skipIdle: false, idle: IDLE },
    );
    expect(moved).toEqual({ t: 100, stalled: true, ended: false });
  });

  test('ends at the recording end', () => {
    const moved = advance(
      { ...base, t: 900, gapStart: 900, upcoming: [1000], endT: 1000, wallMs: 1000 },
      { speed: 1, skipIdle: false, idle: IDLE },
    );
    expect(moved).toEqual({ t: 1000, stalled: false, ended: true });
  });

  test('no time, no movement; negative wall time counts as none', () => {
    const input = { ...base, t: 10, upcoming: [100], endT: 100 };
    expect(advance({ ...input, wallMs: 0 }, { speed: 4, skipIdle: true }).t).toBe(10);
    expect(advance({ ...input, wallMs: -50 }, { speed: 4, skipIdle: true }).t).toBe(10);
  });

  test('events at the same time as the playhead are passed over', () => {
    const moved = advance(
      { ...base, t: 100, gapStart: 0, upcoming: [100, 100, 200], endT: 200, wallMs: 50 },
      { speed: 1, skipIdle: false, idle: IDLE },
    );
    expect(moved.t).toBe(150);
  });
});

describe('dueCount', () => {
  test('counts the events at or before the time', () => {
    expect(dueCount([], 5)).toBe(0);
    expect(dueCount([10, 20, 20, 30], 5)).toBe(0);
    expect(dueCount([10, 20, 20, 30], 10)).toBe(1);
    expect(dueCount([10, 20, 20, 30], 20)).toBe(3);
    expect(dueCount([10, 20, 20, 30], 99)).toBe(4);
  });

  test('advance then dueCount: the events a frame makes due', () => {
    const upcoming = [100, 200, 5000];
    const { t } = advance(
      { ...base, upcoming, endT: 5000, wallMs: 250 },
      { speed: 1, skipIdle: false, idle: IDLE },
    );
    expect(dueCount(upcoming, t)).toBe(2);
  });
});

describe('lastAtOrBefore', () => {
  test('binary search by a time accessor', () => {
    const items = [{ t: 1 }, { t: 5 }, { t: 9 }];
    expect(lastAtOrBefore(items, 0, (i) => i.t)).toBe(-1);
    expect(lastAtOrBefore(items, 5, (i) => i.t)).toBe(1);
    expect(lastAtOrBefore(items, 100, (i) => i.t)).toBe(2);
  });
});

describe('clock text', () => {
  test('formatClock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(5_999)).toBe('0:05');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(-5)).toBe('0:00');
  });

  test('spokenDuration', () => {
    expect(spokenDuration(0)).toBe('0 seconds');
    expect(spokenDuration(1000)).toBe('1 second');
    expect(spokenDuration(65_000)).toBe('1 minute 5 seconds');
    expect(spokenDuration(3_600_000)).toBe('1 hour');
  });

  test('parseClock reads seconds, m:ss and h:mm:ss', () => {
    expect(parseClock('75')).toBe(75_000);
    expect(parseClock('1:15')).toBe(75_000);
    expect(parseClock(' 0:01:15 ')).toBe(75_000);
    expect(parseClock('1:05.5')).toBe(65_500);
    expect(parseClock('1:75')).toBeNull();
    expect(parseClock('')).toBeNull();
    expect(parseClock('abc')).toBeNull();
    expect(parseClock('-1')).toBeNull();
  });
});
