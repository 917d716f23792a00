import { afterEach, describe, expect, test } from 'vitest';
import { applyEvents } from '@backprop/shared/session';
import {
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

function setUp(options: StoreEventLogOptions = {}) {
  const store = openSqliteStore(':memory:');
  stores.push(store);
  createFrom(store, lesson.initial);
  return { store, log: new StoreEventLog(store, CODE, { state: lesson.initial, ...options }) };
}

describe('StoreEventLog, batched', () => {
  test('appended events are committed by flush, in one go, and only then visible', () => {
    const { store, log } = setUp();
    for (const event of lesson.events.slice(0, 5)) log.append(event);
    expect(log.pendingCount).toBe(5);
    expect(store.eventsSince(CODE, 0)).toEqual([]);
    // Not committed yet, so not offered to a reconnecting client: it would get a snapshot.
    expect(log.since(0)).toEqual([]);
    expect(log.since(3)).toBeNull();
    log.flush();
    expect(log.pendingCount).toBe(0);
    expect(log.committedSeq).toBe(5);
    expect(store.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events.slice(0, 5)));
    expect(log.since(3)).toStrictEqual(wire(lesson.events.slice(3, 5)));
    log.flush(); // nothing pending: nothing to do
    expect(store.session(CODE)!.lastSeq).toBe(5);
  });

  test('refuses an event that does not follow, before anything changes', () => {
    const { log } = setUp();
    log.append(lesson.events[0]!);
    expect(() => log.append(lesson.events[2]!)).toThrow('event log: seq 3 does not follow 1');
    log.append(lesson.events[1]!);
    log.flush();
    expect(log.committedSeq).toBe(2);
  });

  test('stores a keyframe every K events, in the same transaction', () => {
    const { store, log } = setUp({ keyframeInterval: 4 });
    for (const event of lesson.events.slice(0, 10)) log.append(event);
    expect(store.latestKeyframe(CODE)).toBeNull();
    log.flush();
    expect(store.latestKeyframe(CODE)!.seq).toBe(8);
    expect(store.latestKeyframe(CODE, 7)!.seq).toBe(4);
    expect(store.latestKeyframe(CODE)!.state).toStrictEqual(
      wire(applyEvents(lesson.initial, lesson.events.slice(0, 8))),
    );
  });

  test('a failed flush stores nothing and goes back to the last committed event', () => {
    const { store, log } = setUp();
    log.append(lesson.events[0]!);
    log.flush();
    log.append(lesson.events[1]!);
    // Another writer gets seq 2 in first, so the store refuses the log's batch.
    store.appendEvents(CODE, [lesson.events[1]!]);
    log.append(lesson.events[2]!);
    expect(() => log.flush()).toThrow(/seq 2 does not follow 2/);
    expect(log.pendingCount).toBe(0);
    expect(log.committedSeq).toBe(1);
    expect(store.eventsSince(CODE, 0).map((e) => e.seq)).toEqual([1, 2]);
    // The log continues from its last commit (a room would be reloaded at this point).
    expect(() => log.append(lesson.events[2]!)).toThrow(/does not follow 1/);
  });

  test('since: null before the recording, past the last commit, or too far back', () => {
    const { log } = setUp({ maxSince: 10 });
    for (const event of lesson.events) log.append(event);
    log.flush();
    const last = lesson.events.length;
    expect(log.since(-1)).toBeNull();
    expect(log.since(last + 1)).toBeNull();
    expect(log.since(last)).toEqual([]);
    expect(log.since(last - 10)).toHaveLength(10);
    expect(log.since(last - 11)).toBeNull();
  });
});

describe('StoreEventLog, write-through', () => {
  test('each append is committed before it returns', () => {
    const { store, log } = setUp({ writeThrough: true });
    for (const event of lesson.events.slice(0, 3)) {
      log.append(event);
      expect(store.session(CODE)!.lastSeq).toBe(event.seq);
    }
    expect(log.pendingCount).toBe(0);
  });
});

describe('StoreEventLog without a state at hand', () => {
  test('reads it from the store at first use: a room can get its log before the session exists', () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const log = new StoreEventLog(store, CODE, { writeThrough: true, keyframeInterval: 3 });
    // The order the registry can follow: the Room (and its initial state) first, then the session.
    createFrom(store, lesson.initial);
    for (const event of lesson.events.slice(0, 7)) log.append(event);
    expect(log.committedSeq).toBe(7);
    expect(store.latestKeyframe(CODE)!.state).toStrictEqual(
      wire(applyEvents(lesson.initial, lesson.events.slice(0, 6))),
    );
    // A second log on the same session (a restart) picks up where the first stopped.
    const again = new StoreEventLog(store, CODE);
    expect(again.since(5)).toStrictEqual(wire(lesson.events.slice(5, 7)));
    expect(() => again.append(lesson.events[0]!)).toThrow('event log: seq 1 does not follow 7');
  });

  test('says so when the session was never created', () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const log = new StoreEventLog(store, 'NOSUCH');
    expect(() => log.append(lesson.events[0]!)).toThrow(
      'event log: there is no session NOSUCH in the store',
    );
  });
});

describe('a restarted server', () => {
  test('continues the log from loadSession and ends with the full state', () => {
    const session = randomSession(8, 500);
    const store = openSqliteStore(':memory:');
    stores.push(store);
    createFrom(store, session.initial);
    const first = new StoreEventLog(store, CODE, { state: session.initial, keyframeInterval: 50 });
    for (const event of session.events.slice(0, 260)) first.append(event);
    first.flush();

    // "Restart": a new log from what the store has.
    const loaded = store.loadSession(CODE)!;
    expect(loaded.state).toStrictEqual(
      wire(applyEvents(session.initial, session.events.slice(0, 260))),
    );
    const second = new StoreEventLog(store, CODE, { state: loaded.state, keyframeInterval: 50 });
    for (const event of session.events.slice(260)) second.append(event);
    second.flush();
    expect(store.loadSession(CODE)!.state).toStrictEqual(wire(session.final));
    expect(second.since(0)).toHaveLength(session.events.length);
    expect(store.latestKeyframe(CODE)!.seq).toBe(Math.floor(session.events.length / 50) * 50);
  });
});
