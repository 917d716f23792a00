/**
 * The probing of a room on hold: bounded backoff (250 ms, 500 ms, then every second) while
 * the store is away, done once it is back, given up on any other failure, stopped when
 * forgotten.
 */
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { HeldRooms } from '../../src/sessions/held-rooms';

const full = () => new Database.SqliteError('database or disk is full', 'SQLITE_FULL');

let probes: number[];
let started: number;
beforeEach(() => {
  vi.useFakeTimers();
  probes = [];
  started = Date.now();
});
afterEach(() => vi.useRealTimers());

function heldRooms(outcome: () => Promise<void>, giveUp = vi.fn()) {
  const held = new HeldRooms({
    bringBack: () => {
      probes.push(Date.now() - started);
      return outcome();
    },
    giveUp,
    logger: pino({ level: 'silent' }),
  });
  return { held, giveUp };
}

test('probes with a bounded backoff while the store is away, and stops once it is back', async () => {
  let away = true;
  const { held, giveUp } = heldRooms(() => (away ? Promise.reject(full()) : Promise.resolve()));
  expect(held.hold('ABCDEF')).toBe(true);
  expect(held.hold('ABCDEF')).toBe(false); // already held: one probe loop
  await vi.advanceTimersByTimeAsync(4_000);
  expect(probes).toEqual([250, 750, 1750, 2750, 3750]);
  expect(held.has('ABCDEF')).toBe(true);
  away = false;
  await vi.advanceTimersByTimeAsync(1_000);
  expect(held.has('ABCDEF')).toBe(false);
  await vi.advanceTimersByTimeAsync(5_000);
  expect(probes).toHaveLength(6);
  expect(giveUp).not.toHaveBeenCalled();
});

test('a probe failing for another reason gives the room up, still held while it is let go', async () => {
  const giveUp = vi.fn();
  const { held } = heldRooms(() => Promise.reject(new Error('a bug')), giveUp);
  giveUp.mockImplementation(() => expect(held.has('ABCDEF')).toBe(true));
  held.hold('ABCDEF');
  await vi.advanceTimersByTimeAsync(1_000);
  expect(giveUp).toHaveBeenCalledOnce();
  expect(held.has('ABCDEF')).toBe(false);
  expect(probes).toHaveLength(1);
});

test('a room forgotten (its lease lost, the server closing) is probed no more', async () => {
  const { held } = heldRooms(() => Promise.reject(full()));
  held.hold('ABCDEF');
  held.hold('GHJKLM');
  await vi.advanceTimersByTimeAsync(300);
  held.forget('ABCDEF');
  expect(held.size).toBe(1);
  held.forgetAll();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(probes).toHaveLength(2);
  expect(held.size).toBe(0);
});
