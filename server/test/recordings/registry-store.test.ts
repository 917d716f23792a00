/**
 * The registry with a store: codes, times, what an abandoned room leaves behind, the
 * recording's size as the room sees it, and room leases (one owner per room).
 */
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { SessionRegistry, type RoomOwnership } from '../../src/sessions/registry';
import { waitUntil } from '../helpers/sockets';
import { asyncSqliteStore, openSqliteStore, type SqliteStore } from '../../src/store';

function registry(store: SqliteStore, now: () => number, ownership?: RoomOwnership) {
  return new SessionRegistry({
    clock: { now },
    logger: pino({ level: 'silent' }),
    store: asyncSqliteStore(store),
    broadcast: () => undefined,
    ownership,
  });
}

/** Leases in memory: `others` are held by another node; what this node takes and gives up. */
function leases(others: Set<string> = new Set()) {
  const held = new Set<string>();
  const released: string[] = [];
  const ownership: RoomOwnership = {
    acquire: (code) => {
      if (others.has(code)) return Promise.resolve(false);
      held.add(code);
      return Promise.resolve(true);
    },
    release: (code) => {
      held.delete(code);
      released.push(code);
      return Promise.resolve();
    },
  };
  return { ownership, held, released, others };
}

test('a new join code is never one the store has (old recordings keep theirs)', async () => {
  const store = openSqliteStore(':memory:');
  const asked: [string, boolean][] = [];
  let refusals = 5;
  const picky = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'codeInUse') {
        return (code: string) => {
          const taken = refusals-- > 0 || target.codeInUse(code);
          asked.push([code, taken]);
          return taken;
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  const { room } = await registry(picky, () => 1000).create('Codes');
  expect(asked.slice(0, 5).every(([, taken]) => taken)).toBe(true);
  expect(asked.at(-1)).toEqual([room.code, false]);
  expect(store.session(room.code)).toMatchObject({ code: room.code, title: 'Codes' });
});

test('event times never go back, even when the clock does', async () => {
  const store = openSqliteStore(':memory:');
  let now = 10_000;
  const { room } = await registry(store, () => now).create('Clock');
  await room.run(() => room.record({ type: 'locked', locked: true }));
  now = 5_000; // the clock is set back
  await room.run(() => room.record({ type: 'locked', locked: false }));
  now = 12_000;
  await room.run(() => room.record({ type: 'title-set', title: 'Later' }));
  expect(store.eventsSince(room.code, 0).map((e) => e.t)).toEqual([10_000, 10_000, 12_000]);
});

test('a room nobody ever held the token of leaves nothing in the store', async () => {
  const store = openSqliteStore(':memory:');
  const sessions = registry(store, () => 1000);
  const { room } = await sessions.create('Abandoned');
  sessions.dispose(room.code, 'abandoned');
  await waitUntil(() => store.session(room.code) === null);
  const kept = (await sessions.create('Idle')).room;
  sessions.dispose(kept.code, 'idle');
  expect(store.session(kept.code)).not.toBeNull();
});

test('the room sees its recording grow: the budget reads the real size', async () => {
  const store = openSqliteStore(':memory:');
  const { room } = await registry(store, () => 1000).create('Bytes');
  expect(room.recordedBytes).toBe(store.recordingBytes(room.code));
  expect(room.recordedBytes).toBeGreaterThan(0);
  const before = room.recordedBytes;
  await room.run(() => room.record({ type: 'marker', label: 'a marker of some length' }));
  expect(room.recordedBytes).toBeGreaterThan(before);
  expect(room.recordedBytes).toBe(store.recordingBytes(room.code));
});

test('a room is created and brought back only with its lease, given up when it leaves', async () => {
  const store = openSqliteStore(':memory:');
  const { ownership, held, released, others } = leases();
  const sessions = registry(store, () => 1000, ownership);
  const { room } = await sessions.create('Leased');
  expect(held).toEqual(new Set([room.code]));
  sessions.dispose(room.code, 'idle');
  expect(released).toEqual([room.code]);

  // Another node holds it now: this one does not bring it back.
  others.add(room.code);
  expect(await sessions.open(room.code)).toBe('elsewhere');
  expect(sessions.get(room.code)).toBeUndefined();
  others.delete(room.code);
  const back = await sessions.open(room.code);
  expect(typeof back).toBe('object');
  expect(held.has(room.code)).toBe(true);

  // Lost: dropped without a release (it is not this node's to give up any more).
  released.length = 0;
  sessions.dispose(room.code, 'lease-lost');
  expect(sessions.get(room.code)).toBeUndefined();
  expect(released).toEqual([]);
});

test('an ended session takes no lease: it is never brought back', async () => {
  const store = openSqliteStore(':memory:');
  const { ownership, held } = leases();
  const sessions = registry(store, () => 1000, ownership);
  const { room } = await sessions.create('Ended');
  await room.run(() => room.record({ type: 'ended' }));
  sessions.dispose(room.code, 'idle');
  expect(await sessions.open(room.code)).toBe('ended');
  // Ended is known from the session row: no lease was taken for it.
  expect(held.size).toBe(0);
});

test('a new room whose lease cannot be taken (Redis away) leaves nothing in the store', async () => {
  const store = openSqliteStore(':memory:');
  const sessions = registry(store, () => 1000, {
    acquire: () => Promise.reject(new Error('redis: the client is closed')),
    release: () => Promise.resolve(),
  });
  await expect(sessions.create('No lease')).rejects.toThrow('the client is closed');
  expect(sessions.size).toBe(0);
  expect(store.listRecordings()).toEqual([]);
});

test('a room that cannot be brought back for want of Redis is refused as unreachable', async () => {
  const store = openSqliteStore(':memory:');
  let redisAway = false;
  const { ownership } = leases();
  const sessions = registry(store, () => 1000, {
    acquire: (code, options) =>
      redisAway
        ? Promise.reject(new Error('redis: the client is offline'))
        : ownership.acquire(code, options),
    release: (code) => ownership.release(code),
  });
  const { room } = await sessions.create('Outage');
  sessions.dispose(room.code, 'idle');
  redisAway = true;
  // Not thrown (an internal error): a refusal the client retries (session-handlers.ts).
  expect(await sessions.open(room.code)).toBe('unreachable');
  redisAway = false;
  expect(typeof (await sessions.open(room.code))).toBe('object');
});
