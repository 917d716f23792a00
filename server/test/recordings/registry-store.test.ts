/** The registry with a store: codes, times, and what an abandoned room leaves behind. */
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { SessionRegistry } from '../../src/sessions/registry';
import { waitUntil } from '../helpers/sockets';
import { asyncSqliteStore, openSqliteStore, type SqliteStore } from '../../src/store';

function registry(store: SqliteStore, now: () => number) {
  return new SessionRegistry({
    clock: { now },
    logger: pino({ level: 'silent' }),
    store: asyncSqliteStore(store),
    broadcast: () => undefined,
  });
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
