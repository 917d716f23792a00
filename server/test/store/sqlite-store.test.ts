import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { RecordingIndex } from '@backprop/shared/recording';
import { applyEvents, type SessionEvent } from '@backprop/shared/session';
import { DATABASE_FILE, openSqliteStore, StoreError, type SqliteStore } from '../../src/store';
import {
  classSession,
  createFrom,
  HOST_TOKEN,
  randomSession,
  tempDataDir,
  wire,
  withCode,
} from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function memoryStore(): SqliteStore {
  const store = openSqliteStore(':memory:');
  cleanups.push(() => store.close());
  return store;
}

const lesson = classSession();
const CODE = lesson.initial.code;

describe('sessions and events', () => {
  test('a new session has no events; append then since gives them back', () => {
    const store = memoryStore();
    const record = createFrom(store, lesson.initial);
    expect(record).toMatchObject({ code: CODE, lastSeq: 0, initialSeq: 0, endedAt: null });
    expect(store.eventsSince(CODE, 0)).toEqual([]);
    store.appendEvents(CODE, lesson.events.slice(0, 10));
    store.appendEvents(CODE, lesson.events.slice(10));
    expect(store.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events));
    expect(store.eventsSince(CODE, 25)).toStrictEqual(wire(lesson.events.slice(25)));
    expect(store.eventsSince(CODE, 5, 3).map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(store.eventsSince(CODE, lesson.events.length)).toEqual([]);
    expect(store.session(CODE)!.lastSeq).toBe(lesson.events.length);
    expect(store.initialState(CODE)).toStrictEqual(wire(lesson.initial));
  });

  test('the replay id is unguessable (128 bits, base64url) and finds the session', () => {
    const store = memoryStore();
    const record = createFrom(store, lesson.initial);
    expect(record.replayId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(store.sessionByReplayId(record.replayId)).toEqual(record);
    expect(store.sessionByReplayId('nope')).toBeNull();
    const other = createFrom(store, { ...lesson.initial, code: 'XYZ234' });
    expect(other.replayId).not.toBe(record.replayId);
  });

  test('a code is taken for good (recordings keep theirs)', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    expect(store.codeInUse(CODE)).toBe(true);
    expect(store.codeInUse('QQQQQQ')).toBe(false);
    expect(() => createFrom(store, lesson.initial)).toThrow(StoreError);
  });

  test('refuses events that do not continue the session, and unknown sessions', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    expect(() => store.appendEvents(CODE, lesson.events.slice(1, 3))).toThrow(
      'session ABCDEF: event seq 2 does not follow 0',
    );
    store.appendEvents(CODE, lesson.events.slice(0, 3));
    expect(() => store.appendEvents(CODE, lesson.events.slice(0, 1))).toThrow(
      /seq 1 does not follow 3/,
    );
    expect(() => store.appendEvents('NOSUCH', lesson.events.slice(0, 1))).toThrow(
      'there is no session NOSUCH',
    );
  });
});

describe('a batch is atomic', () => {
  function countRows(store: SqliteStore) {
    return {
      events: store.eventsSince(CODE, 0).length,
      session: store.session(CODE),
      list: store.listRecordings(),
      keyframe: store.latestKeyframe(CODE),
    };
  }

  test('a NaN in the middle of a batch leaves nothing of it', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    const middle = lesson.events.findIndex((e) => e.type === 'progressed');
    store.appendEvents(CODE, lesson.events.slice(0, middle - 3));
    const before = countRows(store);
    const batch = structuredClone(lesson.events.slice(middle - 3, middle + 3));
    const bad = batch[3]!;
    if (bad.type !== 'progressed') throw new Error('expected the progressed event');
    bad.progress.loss[0]!.train = NaN;
    const seq = middle - 3;
    const keyframe = { seq, state: applyEvents(lesson.initial, lesson.events.slice(0, seq)) };
    expect(() => store.appendEvents(CODE, batch, [keyframe])).toThrow(/cannot serialize NaN/);
    expect(countRows(store)).toEqual(before);
  });

  test('a gap in the middle of a batch leaves nothing of it', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    const batch = [...lesson.events.slice(0, 4), ...lesson.events.slice(5, 8)];
    expect(() => store.appendEvents(CODE, batch)).toThrow(/seq 6 does not follow 4/);
    expect(countRows(store).events).toBe(0);
    expect(store.session(CODE)!.lastSeq).toBe(0);
    // The same events, without the gap, go in.
    store.appendEvents(CODE, lesson.events.slice(0, 8));
    expect(countRows(store).events).toBe(8);
  });
});

describe('keyframes and loading', () => {
  test('putKeyframe and latestKeyframe at or before a seq', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events);
    const at = (seq: number) => ({
      seq,
      state: applyEvents(lesson.initial, lesson.events.slice(0, seq)),
    });
    store.putKeyframe(CODE, at(10));
    store.putKeyframe(CODE, at(20));
    expect(store.latestKeyframe(CODE)).toStrictEqual(wire(at(20)));
    expect(store.latestKeyframe(CODE, 19)).toStrictEqual(wire(at(10)));
    expect(store.latestKeyframe(CODE, 9)).toBeNull();
    expect(() => store.putKeyframe(CODE, { seq: 11, state: at(10).state })).toThrow(
      'keyframe 11 holds the state of seq 10',
    );
  });

  test('loadSession rebuilds the state from the latest keyframe and the tail', () => {
    const session = withCode(randomSession(4, 700), 'LOADME');
    const store = memoryStore();
    createFrom(store, session.initial);
    const index = new RecordingIndex(session.initial, session.events, { keyframeInterval: 200 });
    store.appendEvents('LOADME', session.events, index.keyframes.slice(1));
    expect(store.latestKeyframe('LOADME')!.seq).toBe(600);
    const loaded = store.loadSession('LOADME')!;
    expect(loaded.state).toStrictEqual(wire(session.final));
    expect(loaded.state.seq).toBe(session.events.length);
    expect(loaded.session.lastSeq).toBe(session.events.length);
  });

  test('loadSession without any keyframe starts from the initial state', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events);
    expect(store.loadSession(CODE)!.state).toStrictEqual(wire(lesson.final));
    expect(store.loadSession('NOSUCH')).toBeNull();
  });

  test('loadSession notices events missing behind a keyframe (it never guesses)', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events.slice(0, 10));
    // A keyframe from the future, as a bug would write it.
    store.putKeyframe(CODE, {
      seq: 12,
      state: applyEvents(lesson.initial, lesson.events.slice(0, 12)),
    });
    expect(() => store.loadSession(CODE)).toThrow(/events end at seq 12 but the session says 10/);
  });
});

describe('participants, uploads, the recordings list', () => {
  test('participants are kept with token hashes, and kicks', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    store.putParticipant(CODE, { id: 'p1', name: 'Ada', token: 'token-of-ada-0000000000' });
    store.putParticipant(CODE, { id: 'p2', name: 'Bob', token: 'token-of-bob-0000000000' });
    store.setParticipantKicked(CODE, 'p1', true);
    const { participants } = store.loadSession(CODE)!;
    expect(participants.map(({ id, name, kicked }) => ({ id, name, kicked }))).toEqual([
      { id: 'p1', name: 'Ada', kicked: true },
      { id: 'p2', name: 'Bob', kicked: false },
    ]);
    expect(participants[0]!.tokenHash).toEqual(sha256('token-of-ada-0000000000'));
    expect(() => store.setParticipantKicked(CODE, 'p9', true)).toThrow(StoreError);
  });

  test('the CSV upload is kept as received; a new one replaces it', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    expect(store.loadSession(CODE)!.csv).toBeNull();
    store.putCsvUpload(CODE, { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 });
    store.putCsvUpload(CODE, { text: 'x,y,z\n1,2,3\n', targets: ['z', 'y'], uploadedAt: 6 });
    expect(store.loadSession(CODE)!.csv).toEqual({
      text: 'x,y,z\n1,2,3\n',
      targets: ['z', 'y'],
      uploadedAt: 6,
    });
  });

  test('the summary columns follow the events', () => {
    const store = memoryStore();
    createFrom(store, lesson.initial);
    const [fresh] = store.listRecordings();
    expect(fresh).toMatchObject({
      code: CODE,
      title: 'Backprop Live session',
      events: 0,
      steps: 0,
      participants: 0,
      dataset: 'XOR',
      network: '2-3-1',
      endedAt: null,
      lastEventAt: null,
    });
    store.appendEvents(CODE, lesson.events);
    const steps = Math.max(
      ...lesson.events.map(
        (_, k) => applyEvents(lesson.initial, lesson.events.slice(0, k + 1)).step,
      ),
    );
    expect(store.listRecordings()[0]).toEqual({
      code: CODE,
      replayId: fresh!.replayId,
      title: 'Backprop, week 3',
      createdAt: lesson.initial.createdAt,
      endedAt: lesson.events.at(-1)!.t,
      lastEventAt: lesson.events.at(-1)!.t,
      events: lesson.events.length,
      steps,
      participants: 3,
      dataset: 'House prices',
      network: '3-4-1',
    });
  });

  test('live sessions, newest-first list, delete with everything in it', () => {
    const store = memoryStore();
    const old = withCode(classSession(2), 'OLDOLD');
    const live = withCode(randomSession(3, 20), 'LIVE22');
    createFrom(store, old.initial);
    createFrom(store, { ...live.initial, createdAt: old.initial.createdAt + 1 });
    store.appendEvents('OLDOLD', old.events);
    store.appendEvents('LIVE22', live.events);
    store.putParticipant('OLDOLD', { id: 'p1', name: 'Ada', token: 'token-of-ada-0000000000' });
    store.putKeyframe('OLDOLD', { seq: 0, state: old.initial });
    store.putCsvUpload('OLDOLD', { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 });
    expect(store.liveSessions().map((s) => s.code)).toEqual(['LIVE22']);
    expect(store.listRecordings().map((r) => r.code)).toEqual(['LIVE22', 'OLDOLD']);
    expect(store.deleteRecording('OLDOLD')).toBe(true);
    expect(store.deleteRecording('OLDOLD')).toBe(false);
    expect(store.session('OLDOLD')).toBeNull();
    expect(store.eventsSince('OLDOLD', 0)).toEqual([]);
    expect(store.latestKeyframe('OLDOLD')).toBeNull();
    expect(store.codeInUse('OLDOLD')).toBe(false);
    expect(store.eventsSince('LIVE22', 0)).toHaveLength(live.events.length);
  });
});

describe('on disk', () => {
  function diskStore() {
    const { dir, remove } = tempDataDir();
    cleanups.push(remove);
    return { dir, open: () => openSqliteStore(dir) };
  }

  test('everything survives close and reopen, and the file passes integrity_check', () => {
    const { dir, open } = diskStore();
    const store = open();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events.slice(0, 20));
    store.appendEvents(CODE, lesson.events.slice(20));
    store.putParticipant(CODE, { id: 'p1', name: 'Ada', token: 'token-of-ada-0000000000' });
    const before = { list: store.listRecordings(), loaded: store.loadSession(CODE) };
    store.close();

    const again = open();
    expect(again.listRecordings()).toEqual(before.list);
    expect(again.loadSession(CODE)).toEqual(before.loaded);
    expect(again.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events));
    again.close();

    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  test('tokens are stored only as SHA-256 hashes, in the database and its WAL', () => {
    const { dir, open } = diskStore();
    const store = open();
    const studentToken = 'student-secret-token-0123456789';
    const record = createFrom(store, lesson.initial);
    store.putParticipant(CODE, { id: 'p1', name: 'Ada', token: studentToken });
    expect(record.hostTokenHash).toEqual(sha256(HOST_TOKEN));
    // Before close: the rows may still be in the WAL file only.
    const files = () => readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    for (const bytes of files()) {
      expect(bytes.includes(HOST_TOKEN)).toBe(false);
      expect(bytes.includes(studentToken)).toBe(false);
    }
    expect(files().some((bytes) => bytes.includes(sha256(studentToken)))).toBe(true);
    store.close();
    for (const bytes of files()) expect(bytes.includes(studentToken)).toBe(false);
  });
});

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// The fixtures' events are SessionEvents (a compile-time check).
const _typed: SessionEvent[] = lesson.events;
