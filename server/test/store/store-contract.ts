/**
 * The Store's contract, one suite for every store: SQLite (through asyncSqliteStore) and
 * Postgres run the same tests (sqlite-store.test.ts, postgres-store.test.ts). What is
 * particular to one store (files on disk, concurrent nodes) is tested beside it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { RecordingIndex } from '@backprop/shared/recording';
import { applyEvents } from '@backprop/shared/session';
import { StoreError, type AsyncStore } from '../../src/store';
import { classSession, createFrom, randomSession, wire, withCode } from './fixtures';

const lesson = classSession();
const CODE = lesson.initial.code;

/** `open` gives an empty store, closed by the caller's own cleanup. */
export function storeContract(name: string, open: () => Promise<AsyncStore>): void {
  describe(`${name} store contract`, () => {
    describe('sessions and events', () => {
      test('a new session has no events; append then since gives them back', async () => {
        const store = await open();
        const record = await createFrom(store, lesson.initial);
        expect(record).toMatchObject({ code: CODE, lastSeq: 0, initialSeq: 0, endedAt: null });
        expect(await store.eventsSince(CODE, 0)).toEqual([]);
        await store.appendEvents(CODE, lesson.events.slice(0, 10));
        await store.appendEvents(CODE, lesson.events.slice(10));
        expect(await store.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events));
        expect(await store.eventsSince(CODE, 25)).toStrictEqual(wire(lesson.events.slice(25)));
        expect((await store.eventsSince(CODE, 5, 3)).map((e) => e.seq)).toEqual([6, 7, 8]);
        expect(await store.eventsSince(CODE, lesson.events.length)).toEqual([]);
        expect((await store.session(CODE))!.lastSeq).toBe(lesson.events.length);
        expect(await store.initialState(CODE)).toStrictEqual(wire(lesson.initial));
      });

      test('the replay id is unguessable (128 bits, base64url) and finds the session', async () => {
        const store = await open();
        const record = await createFrom(store, lesson.initial);
        expect(record.replayId).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(await store.sessionByReplayId(record.replayId)).toEqual(record);
        expect(await store.sessionByReplayId('nope')).toBeNull();
        const other = await createFrom(store, { ...lesson.initial, code: 'XYZ234' });
        expect(other.replayId).not.toBe(record.replayId);
      });

      test('a code is taken for good (recordings keep theirs)', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        expect(await store.codeInUse(CODE)).toBe(true);
        expect(await store.codeInUse('QQQQQQ')).toBe(false);
        await expect(createFrom(store, lesson.initial)).rejects.toThrow(StoreError);
      });

      test('refuses events that do not continue the session, and unknown sessions', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        await expect(store.appendEvents(CODE, lesson.events.slice(1, 3))).rejects.toThrow(
          'session ABCDEF: event seq 2 does not follow 0',
        );
        await store.appendEvents(CODE, lesson.events.slice(0, 3));
        await expect(store.appendEvents(CODE, lesson.events.slice(0, 1))).rejects.toThrow(
          /seq 1 does not follow 3/,
        );
        await expect(store.appendEvents('NOSUCH', lesson.events.slice(0, 1))).rejects.toThrow(
          'there is no session NOSUCH',
        );
      });
    });

    describe('a batch is atomic', () => {
      async function countRows(store: AsyncStore) {
        return {
          events: (await store.eventsSince(CODE, 0)).length,
          session: await store.session(CODE),
          list: await store.listRecordings(),
          keyframe: await store.latestKeyframe(CODE),
        };
      }

      test('a NaN in the middle of a batch leaves nothing of it', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        const middle = lesson.events.findIndex((e) => e.type === 'progressed');
        await store.appendEvents(CODE, lesson.events.slice(0, middle - 3));
        const before = await countRows(store);
        const batch = structuredClone(lesson.events.slice(middle - 3, middle + 3));
        const bad = batch[3]!;
        if (bad.type !== 'progressed') throw new Error('expected the progressed event');
        bad.progress.loss[0]!.train = NaN;
        const seq = middle - 3;
        const keyframe = { seq, state: applyEvents(lesson.initial, lesson.events.slice(0, seq)) };
        await expect(store.appendEvents(CODE, batch, [keyframe])).rejects.toThrow(
          /cannot serialize NaN/,
        );
        expect(await countRows(store)).toEqual(before);
      });

      test('a gap in the middle of a batch leaves nothing of it', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        const batch = [...lesson.events.slice(0, 4), ...lesson.events.slice(5, 8)];
        await expect(store.appendEvents(CODE, batch)).rejects.toThrow(/seq 6 does not follow 4/);
        expect((await countRows(store)).events).toBe(0);
        expect((await store.session(CODE))!.lastSeq).toBe(0);
        // The same events, without the gap, go in.
        await store.appendEvents(CODE, lesson.events.slice(0, 8));
        expect((await countRows(store)).events).toBe(8);
      });
    });

    describe('keyframes and loading', () => {
      test('putKeyframe and latestKeyframe at or before a seq', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        await store.appendEvents(CODE, lesson.events);
        const at = (seq: number) => ({
          seq,
          state: applyEvents(lesson.initial, lesson.events.slice(0, seq)),
        });
        await store.putKeyframe(CODE, at(10));
        await store.putKeyframe(CODE, at(20));
        expect(await store.latestKeyframe(CODE)).toStrictEqual(wire(at(20)));
        expect(await store.latestKeyframe(CODE, 19)).toStrictEqual(wire(at(10)));
        expect(await store.latestKeyframe(CODE, 9)).toBeNull();
        await expect(store.putKeyframe(CODE, { seq: 11, state: at(10).state })).rejects.toThrow(
          'keyframe 11 holds the state of seq 10',
        );
      });

      test('loadSession rebuilds the state from the latest keyframe and the tail', async () => {
        const session = withCode(randomSession(4, 700), 'LOADME');
        const store = await open();
        await createFrom(store, session.initial);
        const index = new RecordingIndex(session.initial, session.events, {
          keyframeInterval: 200,
        });
        await store.appendEvents('LOADME', session.events, index.keyframes.slice(1));
        expect((await store.latestKeyframe('LOADME'))!.seq).toBe(600);
        const loaded = (await store.loadSession('LOADME'))!;
        expect(loaded.state).toStrictEqual(wire(session.final));
        expect(loaded.state.seq).toBe(session.events.length);
        expect(loaded.session.lastSeq).toBe(session.events.length);
      });

      test('loadSession without any keyframe starts from the initial state', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        await store.appendEvents(CODE, lesson.events);
        expect((await store.loadSession(CODE))!.state).toStrictEqual(wire(lesson.final));
        expect(await store.loadSession('NOSUCH')).toBeNull();
      });

      test('loadSession notices events missing behind a keyframe (it never guesses)', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        await store.appendEvents(CODE, lesson.events.slice(0, 10));
        // A keyframe from the future, as a bug would write it.
        await store.putKeyframe(CODE, {
          seq: 12,
          state: applyEvents(lesson.initial, lesson.events.slice(0, 12)),
        });
        await expect(store.loadSession(CODE)).rejects.toThrow(
          /events end at seq 12 but the session says 10/,
        );
      });
    });

    describe('participants, uploads, the recordings list', () => {
      test('participants are kept with token hashes, and kicks', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        await store.putParticipant(CODE, {
          id: 'p1',
          name: 'Ada',
          token: 'token-of-ada-0000000000',
        });
        await store.putParticipant(CODE, {
          id: 'p2',
          name: 'Bob',
          token: 'token-of-bob-0000000000',
        });
        await store.setParticipantKicked(CODE, 'p1', true);
        const { participants } = (await store.loadSession(CODE))!;
        expect(participants.map(({ id, name, kicked }) => ({ id, name, kicked }))).toEqual([
          { id: 'p1', name: 'Ada', kicked: true },
          { id: 'p2', name: 'Bob', kicked: false },
        ]);
        expect(participants[0]!.tokenHash).toEqual(sha256('token-of-ada-0000000000'));
        await expect(store.setParticipantKicked(CODE, 'p9', true)).rejects.toThrow(StoreError);
      });

      test('the CSV upload is kept as received; a new one replaces it', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        expect((await store.loadSession(CODE))!.csv).toBeNull();
        await store.putCsvUpload(CODE, { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 });
        await store.putCsvUpload(CODE, {
          text: 'x,y,z\n1,2,3\n',
          targets: ['z', 'y'],
          uploadedAt: 6,
        });
        expect((await store.loadSession(CODE))!.csv).toEqual({
          text: 'x,y,z\n1,2,3\n',
          targets: ['z', 'y'],
          uploadedAt: 6,
        });
      });

      test('the summary columns follow the events', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        const [fresh] = await store.listRecordings();
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
        await store.appendEvents(CODE, lesson.events);
        const steps = Math.max(
          ...lesson.events.map(
            (_, k) => applyEvents(lesson.initial, lesson.events.slice(0, k + 1)).step,
          ),
        );
        expect((await store.listRecordings())[0]).toEqual({
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

      test('live sessions, newest-first list, delete with everything in it', async () => {
        const store = await open();
        const old = withCode(classSession(2), 'OLDOLD');
        const live = withCode(randomSession(3, 20), 'LIVE22');
        await createFrom(store, old.initial);
        await createFrom(store, { ...live.initial, createdAt: old.initial.createdAt + 1 });
        await store.appendEvents('OLDOLD', old.events);
        await store.appendEvents('LIVE22', live.events);
        await store.putParticipant('OLDOLD', {
          id: 'p1',
          name: 'Ada',
          token: 'token-of-ada-0000000000',
        });
        await store.putKeyframe('OLDOLD', { seq: 0, state: old.initial });
        await store.putCsvUpload('OLDOLD', { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 });
        expect((await store.liveSessions()).map((s) => s.code)).toEqual(['LIVE22']);
        expect((await store.listRecordings()).map((r) => r.code)).toEqual(['LIVE22', 'OLDOLD']);
        expect(await store.deleteRecording('OLDOLD')).toBe(true);
        expect(await store.deleteRecording('OLDOLD')).toBe(false);
        expect(await store.session('OLDOLD')).toBeNull();
        expect(await store.eventsSince('OLDOLD', 0)).toEqual([]);
        expect(await store.latestKeyframe('OLDOLD')).toBeNull();
        expect(await store.codeInUse('OLDOLD')).toBe(false);
        expect(await store.eventsSince('LIVE22', 0)).toHaveLength(live.events.length);
      });
    });
    describe('transactions', () => {
      test('the calls inside commit together, or none of them', async () => {
        const store = await open();
        await expect(
          store.transaction(async (tx) => {
            await createFrom(tx, lesson.initial);
            await tx.appendEvents(CODE, lesson.events.slice(0, 5));
            // Nested: joins the outer transaction, so its rollback takes everything.
            await tx.transaction(async (inner) => {
              await inner.putParticipant(CODE, {
                id: 'p1',
                name: 'Ada',
                token: 'token-0000000000',
              });
            });
            throw new Error('the import failed half-way');
          }),
        ).rejects.toThrow('the import failed half-way');
        expect(await store.codeInUse(CODE)).toBe(false);
        expect(await store.eventsSince(CODE, 0)).toEqual([]);

        const stored = await store.transaction(async (tx) => {
          await createFrom(tx, lesson.initial);
          await tx.appendEvents(CODE, lesson.events.slice(0, 5));
          return tx.session(CODE);
        });
        expect(stored!.lastSeq).toBe(5);
        expect((await store.session(CODE))!.lastSeq).toBe(5);
      });

      test('an import stays hidden until finished, its code taken all along', async () => {
        const store = await open();
        await store.createSession({ ...newSession(lesson.initial), importing: true });
        expect(await store.session(CODE)).toBeNull();
        expect(await store.listRecordings()).toEqual([]);
        expect(await store.liveSessions()).toEqual([]);
        expect(await store.codeInUse(CODE)).toBe(true);
        await store.finishImport(CODE);
        expect((await store.session(CODE))!.code).toBe(CODE);
        expect((await store.listRecordings()).map((row) => row.code)).toEqual([CODE]);
      });
    });

    describe('what the export, the seek and a restart read', () => {
      test('event rows as stored, bytes, CSV setups, checkpoints, deleting in parts', async () => {
        const store = await open();
        await createFrom(store, lesson.initial);
        const added = await store.appendEvents(CODE, lesson.events);
        const lines = lesson.events.map((event) => JSON.stringify(event));
        expect(added).toBe(lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0));
        const initialBytes = Buffer.byteLength(JSON.stringify(lesson.initial));
        expect(await store.recordingBytes(CODE)).toBe(initialBytes + added);
        expect(await store.recordingBytes('NOSUCH')).toBe(0);

        const rows = await store.eventRows(CODE, 2, 6, 3);
        expect(rows).toEqual(
          lesson.events.slice(2, 5).map((event, k) => ({
            seq: event.seq,
            type: event.type,
            json: lines[k + 2],
          })),
        );

        const csv = { text: 'a,b\n1,2\n', targets: ['b'], uploadedAt: 5 };
        await store.putCsvSetup(CODE, 7, csv);
        await store.putCsvSetup(CODE, 3, { ...csv, text: 'x,b\n3,4\n' });
        await store.putCsvSetup(CODE, 7, { ...csv, targets: ['a'] });
        expect(await store.csvSetups(CODE)).toEqual([
          { seq: 3, targets: ['b'], text: 'x,b\n3,4\n' },
          { seq: 7, targets: ['a'], text: 'a,b\n1,2\n' },
        ]);

        expect(await store.trainingCheckpoint(CODE)).toBeNull();
        const checkpoint = {
          seq: 9,
          setupSeq: 0,
          steps: 40,
          firstLoss: 0.7,
          epoch: 3,
          rowsServed: 12,
          network: lesson.final.network,
        };
        await store.putTrainingCheckpoint(CODE, checkpoint);
        await store.putTrainingCheckpoint(CODE, { ...checkpoint, seq: 10 });
        expect(await store.trainingCheckpoint(CODE)).toEqual(wire({ ...checkpoint, seq: 10 }));

        await store.putKeyframe(CODE, { seq: 0, state: lesson.initial });
        const total = lesson.events.length + 1;
        let deleted = 0;
        for (let round = 0; round < 100 && deleted < total; round++) {
          const some = await store.deleteSomeEvents(CODE, 10);
          expect(some).toBeLessThanOrEqual(20);
          deleted += some;
        }
        expect(deleted).toBe(total);
        expect(await store.eventsSince(CODE, 0)).toEqual([]);
        expect(await store.latestKeyframe(CODE)).toBeNull();
        expect(await store.deleteSomeEvents(CODE, 10)).toBe(0);
      });
    });
  });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function newSession(initial: typeof lesson.initial) {
  return {
    code: initial.code,
    title: initial.title,
    createdAt: initial.createdAt,
    hostToken: 'host-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    initial,
  };
}
