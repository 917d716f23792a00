import { expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { MemoryEventLog } from '../../src/room/event-log';

const event = (seq: number): SessionEvent => ({
  seq,
  t: seq,
  type: 'locked',
  locked: seq % 2 === 0,
});

test('since() returns the events after a seq while the log still has them all', () => {
  const log = new MemoryEventLog(3);
  expect(log.since(0)).toEqual([]);
  for (let seq = 1; seq <= 5; seq++) log.append(event(seq));
  // Kept: 3, 4, 5
  expect(log.since(5)).toEqual([]);
  expect(log.since(4)!.map((e) => e.seq)).toEqual([5]);
  expect(log.since(2)!.map((e) => e.seq)).toEqual([3, 4, 5]);
  expect(log.since(1)).toBeNull(); // event 2 is gone
  expect(log.since(6)).toBeNull(); // never issued
});

test('append() refuses a seq out of order', () => {
  const log = new MemoryEventLog();
  log.append(event(1));
  expect(() => log.append(event(3))).toThrow(/does not follow/);
});
