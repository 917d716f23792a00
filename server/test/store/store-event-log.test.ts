import { afterEach, describe, expect, test } from 'vitest';
import { applyEvents } from '@backprop/shared/session';
import {
  asyncSqliteStore,
  openSqliteStore,
  StoreEventLog,
  type SqliteStore,
  type StoreEventLogOptions,
} from '../../src/store';
import { classSession, createFrom, randomSession, wire } from './fixtures';

const stores: SqliteStore[] = [];
afterEach(() => stores.splice(0).forEach((store) => store.close()));

const lesson = classSession();
const CODE = lesson.initial.code;

function sqlite(): SqliteStore {
  const store = openSqliteStore(':memory:');
  stores.push(store);
  return store;
}

/** A log over the async contract; `store` is the same database, read directly. */
async function setUp(options: StoreEventLogOptions = {}) {
  const store = sqlite();
  createFrom(store, lesson.initial);
  const log = await StoreEventLog.open(asyncSqliteStore(store), CODE, {
    state: lesson.initial,
    ...options,
  });
  return { store, log };
}

describe('StoreEventLog, batched', () => {
  test('appended events are committed by flush, in one go, and only then visible', async () => {
    const { store, log } = await setUp();
    for (const event of lesson.events.slice(0, 5)) log.append(event);
    expect(log.pendingCount).toBe(5);
    expect(log.unflushed).toBe(true);
    expect(store.eventsSince(CODE, 0)).toEqual([]);
    // Not committed yet, so not offered to a reconnecting client: it would get a snapshot.
    expect(log.since(0)).toEqual([]);
    expect(log.since(3)).toBeNull();
    const flushed = log.flush();
    // Still not offered while the commit is under way.
    expect(log.since(3)).toBeNull();
    await flushed;
    expect(log.pendingCount).toBe(0);
    expect(log.unflushed).toBe(false);
    expect(log.committedSeq).toBe(5);
    expect(store.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events.slice(0, 5)));
    expect(log.since(3)).toStrictEqual(lesson.events.slice(3, 5));
    await log.flush(); // nothing pending: nothing to do
    expect(store.session(CODE)!.lastSeq).toBe(5);
  });

  test('counts the recording bytes as events commit', async () => {
    const { store, log } = await setUp();
    expect(log.bytes).toBe(store.recordingBytes(CODE));
    for (const event of lesson.events.slice(0, 5)) log.append(event);
    expect(log.bytes).toBe(store.recordingBytes(CODE));
    await log.flush();
    expect(log.bytes).toBe(store.recordingBytes(CODE));
    expect(log.bytes).toBeGreaterThan(0);
  });

  test('refuses an event that does not follow, before anything changes', async () => {
    const { log } = await setUp();
    log.append(lesson.events[0]!);
    expect(() => log.append(lesson.events[2]!)).toThrow('event log: seq 3 does not follow 1');
    log.append(lesson.events[1]!);
    await log.flush();
    expect(log.committedSeq).toBe(2);
  });

  test('events appended while a flush is under way go with the next one', async () => {
    const { store, log } = await setUp();
    log.append(lesson.events[0]!);
    const first = log.flush();
    log.append(lesson.events[1]!);
    await first;
    expect(log.committedSeq).toBe(1);
    expect(log.pendingCount).toBe(1);
    await log.flush();
    expect(store.session(CODE)!.lastSeq).toBe(2);
  });

  test('stores a keyframe every K events, in the same transaction', async () => {
    const { store, log } = await setUp({ keyframeInterval: 4 });
    for (const event of lesson.events.slice(0, 10)) log.append(event);
    expect(store.latestKeyframe(CODE)).toBeNull();
    await log.flush();
    expect(store.latestKeyframe(CODE)!.seq).toBe(8);
    expect(store.latestKeyframe(CODE, 7)!.seq).toBe(4);
    expect(store.latestKeyframe(CODE)!.state).toStrictEqual(
      wire(applyEvents(lesson.initial, lesson.events.slice(0, 8))),
    );
  });

  test('staged writes commit with the events, in their transaction, or not at all', async () => {
    const { store, log } = await setUp();
    const participant = { id: 'p1', name: 'Ada', token: 'secret-token' };
    log.stage((tx) => tx.putParticipant(CODE, participant));
    expect(log.unflushed).toBe(true);
    expect(store.loadSession(CODE)!.participants).toEqual([]);
    log.append(lesson.events[0]!);
    await log.flush();
    expect(store.loadSession(CODE)!.participants.map((p) => p.name)).toEqual(['Ada']);

    // A batch the store refuses takes its staged writes with it.
    store.appendEvents(CODE, [lesson.events[1]!]); // another writer got seq 2 in first
    log.stage((tx) => tx.setParticipantKicked(CODE, 'p1', true));
    log.append(lesson.events[1]!);
    await expect(log.flush()).rejects.toThrow(/does not follow/);
    expect(store.loadSession(CODE)!.participants[0]!.kicked).toBe(false);
  });

  test('staged writes alone (no event) are committed by a flush too', async () => {
    const { store, log } = await setUp();
    log.stage((tx) => tx.putCsvUpload(CODE, { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 }));
    await log.flush();
    expect(store.loadSession(CODE)!.csv).toMatchObject({ targets: ['b'] });
    expect(log.unflushed).toBe(false);
  });

  test('a failed flush stores nothing and goes back to the last committed event', async () => {
    const { store, log } = await setUp();
    log.append(lesson.events[0]!);
    await log.flush();
    log.append(lesson.events[1]!);
    // Another writer gets seq 2 in first, so the store refuses the log's batch.
    store.appendEvents(CODE, [lesson.events[1]!]);
    log.append(lesson.events[2]!);
    await expect(log.flush()).rejects.toThrow(/seq 2 does not follow 2/);
    expect(log.pendingCount).toBe(0);
    expect(log.committedSeq).toBe(1);
    expect(store.eventsSince(CODE, 0).map((e) => e.seq)).toEqual([1, 2]);
    // The log continues from its last commit (a room would be reloaded at this point).
    expect(() => log.append(lesson.events[2]!)).toThrow(/does not follow 1/);
  });

  test('since: null before what it keeps, past the last commit, or too far back', async () => {
    const { log } = await setUp({ maxSince: 10 });
    for (const event of lesson.events) log.append(event);
    await log.flush();
    const last = lesson.events.length;
    expect(log.since(-1)).toBeNull();
    expect(log.since(last + 1)).toBeNull();
    expect(log.since(last)).toEqual([]);
    expect(log.since(last - 10)).toHaveLength(10);
    expect(log.since(last - 11)).toBeNull();
  });
});

describe('StoreEventLog.open without a state at hand', () => {
  test('reads it, the bytes and the last events from the store', async () => {
    const store = sqlite();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events.slice(0, 7));
    const log = await StoreEventLog.open(asyncSqliteStore(store), CODE, { maxSince: 4 });
    expect(log.committedSeq).toBe(7);
    expect(log.bytes).toBe(store.recordingBytes(CODE));
    // A restarted room answers a reconnecting client from memory, as far back as it keeps.
    expect(log.since(5)).toStrictEqual(wire(lesson.events.slice(5, 7)));
    expect(log.since(3)).toHaveLength(4);
    expect(log.since(2)).toBeNull();
    expect(() => log.append(lesson.events[0]!)).toThrow('event log: seq 1 does not follow 7');
  });

  test('says so when the session was never created', async () => {
    await expect(StoreEventLog.open(asyncSqliteStore(sqlite()), 'NOSUCH')).rejects.toThrow(
      'event log: there is no session NOSUCH in the store',
    );
  });
});

describe('a restarted server', () => {
  test('continues the log from loadSession and ends with the full state', async () => {
    const session = randomSession(8, 500);
    const store = sqlite();
    const async = asyncSqliteStore(store);
    createFrom(store, session.initial);
    const first = await StoreEventLog.open(async, CODE, {
      state: session.initial,
      keyframeInterval: 50,
    });
    for (const event of session.events.slice(0, 260)) first.append(event);
    await first.flush();

    // "Restart": a new log from what the store has.
    const loaded = store.loadSession(CODE)!;
    expect(loaded.state).toStrictEqual(
      wire(applyEvents(session.initial, session.events.slice(0, 260))),
    );
    const second = await StoreEventLog.open(async, CODE, {
      state: loaded.state,
      keyframeInterval: 50,
      maxSince: Infinity,
    });
    for (const event of session.events.slice(260)) second.append(event);
    await second.flush();
    expect(store.loadSession(CODE)!.state).toStrictEqual(wire(session.final));
    expect(second.since(0)).toHaveLength(session.events.length);
    expect(store.latestKeyframe(CODE)!.seq).toBe(Math.floor(session.events.length / 50) * 50);
  });
});
