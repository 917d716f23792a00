import { describe, expect, it } from 'vitest';
import {
  ServerClock,
  countdownText,
  countdownWords,
  remainingMs,
} from '../src/lib/participation/countdown';

describe('ServerClock', () => {
  it('assumes no difference before the first event', () => {
    const clock = new ServerClock();
    expect(clock.offset).toBe(0);
    expect(clock.now(1234)).toBe(1234);
  });

  it('takes the quickest delivery as the clock difference', () => {
    const clock = new ServerClock();
    // The phone's clock is 60 s ahead; deliveries take 80, 20 and 300 ms.
    clock.observe(1_000, 61_080);
    clock.observe(2_000, 62_020);
    clock.observe(3_000, 63_300);
    expect(clock.offset).toBe(60_020);
    expect(clock.now(70_000)).toBe(9_980);
  });

  it('follows a clock that was corrected, once the old samples are out of its window', () => {
    const clock = new ServerClock();
    for (let k = 0; k < 5; k++) clock.observe(k * 1000, k * 1000 - 5_000); // 5 s behind
    expect(clock.offset).toBe(-5_000);
    for (let k = 5; k < 50; k++) clock.observe(k * 1000, k * 1000 + 10); // set right
    expect(clock.offset).toBe(10);
  });

  it('ignores nonsense times', () => {
    const clock = new ServerClock();
    clock.observe(Number.NaN, 5);
    clock.observe(5, Number.POSITIVE_INFINITY);
    expect(clock.offset).toBe(0);
  });
});

describe('countdown', () => {
  it('never goes below zero', () => {
    expect(remainingMs(10_000, 4_000)).toBe(6_000);
    expect(remainingMs(10_000, 12_000)).toBe(0);
  });

  it('reads like a clock, rounding up so 0:00 means the time is up', () => {
    expect(countdownText(30_000)).toBe('0:30');
    expect(countdownText(29_001)).toBe('0:30');
    expect(countdownText(65_000)).toBe('1:05');
    expect(countdownText(1)).toBe('0:01');
    expect(countdownText(0)).toBe('0:00');
    expect(countdownText(-500)).toBe('0:00');
  });

  it('says it in words for screen readers', () => {
    expect(countdownWords(25_000)).toBe('25 seconds left');
    expect(countdownWords(61_000)).toBe('1 minute 1 second left');
    expect(countdownWords(120_000)).toBe('2 minutes left');
    expect(countdownWords(0)).toBe('time is up');
  });
});
