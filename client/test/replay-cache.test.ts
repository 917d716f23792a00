import { describe, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { ReplayCache } from '../src/lib/replay/cache';
import { stateAt, titled } from './fixture';

/** Events 1…n, each renaming the session to its seq, at t = seq × 1000. */
function events(from: number, to: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (let seq = from; seq <= to; seq++) out.push(titled(seq, `t${seq}`));
  return out;
}

describe('ReplayCache', () => {
  test('reaches a state from the nearest cached state and the cached events', () => {
    const cache = new ReplayCache();
    cache.addState(stateAt(0));
    cache.addEvents(events(1, 10));
    const state = cache.stateAt(7);
    expect(state?.seq).toBe(7);
    expect(state?.title).toBe('t7');
    expect(cache.stateAt(0)?.seq).toBe(0);
  });

  test('null when an event is missing or no state is near enough', () => {
    const cache = new ReplayCache({ maxLocalApply: 5 });
    cache.addState(stateAt(0));
    cache.addEvents([...events(1, 3), ...events(5, 20)]);
    expect(cache.stateAt(3)?.title).toBe('t3');
    expect(cache.stateAt(4)).toBeNull(); // event 4 missing
    cache.addState(stateAt(10));
    expect(cache.stateAt(12)?.seq).toBe(12);
    expect(cache.stateAt(16)).toBeNull(); // 6 events from seq 10: too far
  });

  test('uses the closest state before the target, not after', () => {
    const cache = new ReplayCache();
    cache.addState(stateAt(0, { title: 'zero' }));
    cache.addState(stateAt(5, { title: 'five' }));
    cache.addEvents(events(1, 4));
    expect(cache.stateAt(3)?.title).toBe('t3');
    expect(cache.stateAt(5)?.title).toBe('five');
  });

  test('eventsAfter and contiguousEnd stop at the first gap', () => {
    const cache = new ReplayCache();
    cache.addEvents([...events(1, 4), ...events(6, 8)]);
    expect(cache.eventsAfter(0, 100).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(cache.eventsAfter(0, 2).map((e) => e.seq)).toEqual([1, 2]);
    expect(cache.contiguousEnd(0)).toBe(4);
    expect(cache.contiguousEnd(5)).toBe(8);
    expect(cache.contiguousEnd(9)).toBe(9);
  });

  test('seqAtTime walks the cached events either way', () => {
    const cache = new ReplayCache();
    cache.addEvents(events(1, 10)); // event k at k s
    const bounds = { firstSeq: 0, lastSeq: 10 };
    expect(cache.seqAtTime(3500, 0, bounds)).toBe(3);
    expect(cache.seqAtTime(3500, 9, bounds)).toBe(3);
    expect(cache.seqAtTime(3000, 5, bounds)).toBe(3);
    expect(cache.seqAtTime(500, 5, bounds)).toBe(0);
    expect(cache.seqAtTime(99_000, 5, bounds)).toBe(10);
    expect(cache.seqAtTime(99_000, 5, { firstSeq: 0, lastSeq: 20 })).toBeNull(); // 11 unknown
  });

  test('keeps at most maxStates states, dropping the least recently used', () => {
    const cache = new ReplayCache({ maxStates: 3 });
    for (let seq = 0; seq < 5; seq++) cache.addState(stateAt(seq));
    expect(cache.stateCount).toBe(3);
    expect(cache.stateAt(1)).toBeNull();
    expect(cache.stateAt(4)?.seq).toBe(4);
  });

  test('prune drops the events farthest from the position, behind first', () => {
    const cache = new ReplayCache({ maxEvents: 10 });
    cache.addEvents(events(1, 30));
    cache.prune(20);
    expect(cache.eventCount).toBe(10);
    // Kept: mostly ahead of 20, a little behind.
    expect(cache.event(25)).toBeDefined();
    expect(cache.event(1)).toBeUndefined();
    expect(cache.event(10)).toBeUndefined();
  });
});
