import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { suggestedNetwork } from '@backprop/shared/data';
import { CODE_ALPHABET, PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { startServer, type TestServer } from './helpers/server';
import { createSession, joinSession, serverState } from './helpers/session';
import { storeOf } from './helpers/recordings';
import { emitAck, Mirror, ok, once, waitForEvent, waitUntil } from './helpers/sockets';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

describe('creating a session', () => {
  test('returns a join code, a secret host token and the default setup', async () => {
    const host = await createSession(server);
    expect(host.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    // 24 random bytes in base64url
    expect(host.hostToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const state = host.mirror.state!;
    const houses = suggestedNetwork('houses');
    expect(state).toEqual(serverState(server, host.code));
    expect(state).toMatchObject({
      seq: 0,
      code: host.code,
      title: 'Backprop Live session',
      hostConnected: true,
      participants: [],
      ended: false,
      locked: false,
      step: 0,
      hyper: { learningRate: houses.learningRate, batchSize: houses.batchSize },
      setup: {
        datasetId: 'houses',
        layers: [3, ...houses.hidden, 1],
        activations: houses.activations,
        seed: 1,
        normalize: true,
        testFraction: 0.2,
        rows: 200,
        trainRows: 160,
        testRows: 40,
      },
    });
    expect(state.fit?.rows).toHaveLength(200);
  });

  test('gives every session its own code and token', async () => {
    const a = await createSession(server, 'Morning class');
    const b = await createSession(server);
    expect(a.code).not.toBe(b.code);
    expect(a.hostToken).not.toBe(b.hostToken);
    expect(a.mirror.state!.title).toBe('Morning class');
  });

  test('never logs a token', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    student.socket.disconnect();
    await waitForEvent(host.socket, (e) => e.type === 'participant-connection');
    const logged = JSON.stringify(server.logs);
    expect(logged).not.toContain(host.hostToken);
    expect(logged).not.toContain(student.token);
  });
});

describe('joining', () => {
  test('a student joins with the code and sees themselves; the host sees them join', async () => {
    const host = await createSession(server);
    const joined = waitForEvent(host.socket, (e) => e.type === 'participant-joined');
    const student = await joinSession(server, host.code.toLowerCase(), '  Ada   Lovelace ');
    expect(student.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(student.mirror.state!.participants).toEqual([
      { id: student.participantId, name: 'Ada Lovelace', connected: true },
    ]);
    expect((await joined).seq).toBe(1);
    await host.mirror.reach(1);
    expect(host.mirror.state).toEqual(student.mirror.state);
  });

  test('refuses an unknown code, reserved names and names already taken', async () => {
    const host = await createSession(server);
    await joinSession(server, host.code, 'Ada');
    const socket = await server.connect();
    const unknown = await emitAck(socket, 'session:join', { code: 'ZZZZZZ', name: 'Bob' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    for (const name of ['Teacher', 'h0st', 'Аdmin', '  ']) {
      const reply = await emitAck(socket, 'session:join', { code: host.code, name });
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    const taken = await emitAck(socket, 'session:join', { code: host.code, name: 'ADA' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'name-taken' } });
    expect(serverState(server, host.code).participants).toHaveLength(1);
  });

  test('a late joiner gets the same state as an early joiner who applied every event', async () => {
    const host = await createSession(server);
    const early = await joinSession(server, host.code, 'Early');
    await ok(host.socket, 'host:hyper', { learningRate: 0.1, batchSize: 8 });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    await ok(host.socket, 'host:edit-weight', { layer: 1, to: 0, from: 2, value: 0.5 });
    await ok(host.socket, 'host:step', { granularity: 'epoch' });
    await ok(host.socket, 'host:title', { title: 'Backprop 101' });
    const late = await joinSession(server, host.code, 'Late');
    const lateState = late.mirror.state!;
    expect(lateState.step).toBeGreaterThan(1);
    const earlyState = await early.mirror.reach(lateState.seq);
    expect(earlyState).toEqual(lateState);
    expect(lateState).toEqual(serverState(server, host.code));
    expect(early.mirror.gaps + early.mirror.duplicates).toBe(0);
  });
});

describe('reconnecting', () => {
  test('resuming with the last seq fills the gap without duplicates', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const lastSeq = student.mirror.seq;
    const offline = waitForEvent(host.socket, (e) => e.type === 'participant-connection');
    student.socket.disconnect();
    expect(await offline).toMatchObject({ id: student.participantId, connected: false });
    for (let k = 0; k < 3; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });

    const socket = await server.connect();
    const mirror = new Mirror(socket);
    mirror.state = student.mirror.state;
    const reply = await ok(socket, 'session:resume', {
      code: host.code,
      token: student.token,
      lastSeq,
    });
    expect(reply).toMatchObject({ role: 'student', participantId: student.participantId });
    expect(reply.sync.kind).toBe('events');
    mirror.sync(reply.sync);
    expect(mirror.gaps + mirror.duplicates).toBe(0);
    expect(mirror.state).toEqual(serverState(server, host.code));
    expect(mirror.state!.step).toBe(3);
    expect(mirror.state!.participants[0]!.connected).toBe(true);

    // And afterwards it follows along like everyone else.
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    await mirror.reach(serverState(server, host.code).seq);
    expect(mirror.state).toEqual(serverState(server, host.code));
    expect(mirror.gaps + mirror.duplicates).toBe(0);
  });

  test('a client without state (lastSeq 0) gets a snapshot; session:sync catches up', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const socket = await server.connect();
    const reply = await ok(socket, 'session:resume', {
      code: host.code,
      token: student.token,
      lastSeq: 0,
    });
    expect(reply.sync).toEqual({ kind: 'snapshot', state: serverState(server, host.code) });

    const before = student.mirror.seq;
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const caughtUp = await ok(student.socket, 'session:sync', { lastSeq: before });
    expect(caughtUp.sync.kind).toBe('events');
    if (caughtUp.sync.kind === 'events') {
      expect(caughtUp.sync.events.map((e) => e.seq)).toEqual([before + 1]);
    }
    const stranger = await server.connect();
    expect(await emitAck(stranger, 'session:sync', { lastSeq: 0 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  test('a student with two tabs stays connected until the last one closes', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const second = await server.connect();
    await ok(second, 'session:resume', { code: host.code, token: student.token, lastSeq: 0 });
    student.socket.disconnect();
    await ok(host.socket, 'host:lock', { locked: true }); // a marker event after the disconnect
    expect(serverState(server, host.code).participants[0]!.connected).toBe(true);
    const offline = waitForEvent(host.socket, (e) => e.type === 'participant-connection');
    second.disconnect();
    expect(await offline).toMatchObject({ connected: false });
  });

  test('the host resumes with the host token and is the host again', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const away = waitForEvent(student.socket, (e) => e.type === 'host-connection');
    host.socket.disconnect();
    expect(await away).toMatchObject({ connected: false });
    const socket = await server.connect();
    const reply = await ok(socket, 'session:resume', {
      code: host.code,
      token: host.hostToken,
      lastSeq: 0,
    });
    expect(reply).toMatchObject({ role: 'host', participantId: null });
    expect(serverState(server, host.code).hostConnected).toBe(true);
    await ok(socket, 'host:step', { granularity: 'batch' });
    const wrong = await emitAck(socket, 'session:resume', {
      code: host.code,
      token: 'x'.repeat(32),
      lastSeq: 0,
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('roles', () => {
  const studentAttempts: [string, unknown][] = [
    ['host:step', { granularity: 'batch' }],
    ['host:step', { granularity: 'stage' }],
    ['host:reset', {}],
    ['host:kick', { participantId: 'someone' }],
    [
      'host:setup',
      {
        datasetId: 'xor',
        hidden: [2],
        activations: ['tanh', 'sigmoid'],
        trainBiases: true,
        seed: 3,
        normalize: false,
        testFraction: 0,
      },
    ],
    ['host:hyper', { learningRate: 1 }],
    ['host:play', { playing: true }],
    ['host:lock', { locked: true }],
    ['host:end', {}],
    ['host:edit-weight', { layer: 0, to: 0, from: 0, value: 5 }],
    ['host:title', { title: 'Mine now' }],
  ];

  test.each(studentAttempts)(
    'a student cannot %s: forbidden, nothing changes',
    async (command, payload) => {
      const host = await createSession(server);
      const student = await joinSession(server, host.code, 'Ada');
      const before = structuredClone(serverState(server, host.code));
      const reply = await emitAck(student.socket, command as 'host:step', payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // A socket that never joined anything is refused too.
      const stranger = await server.connect();
      expect(await emitAck(stranger, command as 'host:step', payload)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(serverState(server, host.code)).toEqual(before);
      expect(server.app.sessions.get(host.code)!.play.running).toBe(false);
    },
  );

  test('joining another session as a student drops the host role on that socket', async () => {
    const host = await createSession(server);
    const other = await createSession(server);
    await ok(host.socket, 'session:join', { code: other.code, name: 'Visitor' });
    const reply = await emitAck(host.socket, 'host:step', { granularity: 'batch' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await waitUntil(() => !serverState(server, host.code).hostConnected);
  });
});

describe('kick, lock, end', () => {
  test('a kicked student is told, disconnected, and can never resume', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const other = await joinSession(server, host.code, 'Bob');
    const kicked = once(student.socket, 'session:kicked');
    const disconnected = once(student.socket, 'disconnect');
    await ok(host.socket, 'host:kick', { participantId: student.participantId });
    await kicked;
    expect((await disconnected)[0]).toBe('io server disconnect');
    const state = await other.mirror.reach(serverState(server, host.code).seq);
    expect(state.participants.map((p) => p.name)).toEqual(['Bob']);

    const socket = await server.connect();
    const again = await emitAck(socket, 'session:resume', {
      code: host.code,
      token: student.token,
      lastSeq: 0,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'kicked' } });
    expect(
      await emitAck(host.socket, 'host:kick', { participantId: student.participantId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  test('a locked session refuses new students; those inside carry on', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    await ok(host.socket, 'host:lock', { locked: true });
    const newcomer = await server.connect();
    expect(await emitAck(newcomer, 'session:join', { code: host.code, name: 'Bob' })).toMatchObject(
      {
        ok: false,
        error: { code: 'locked' },
      },
    );
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const state = await student.mirror.reach(serverState(server, host.code).seq);
    expect(state.locked).toBe(true);
    expect(state.step).toBe(1);
    // Resuming is not joining: a student who drops out of a locked room gets back in.
    const tab = await server.connect();
    await ok(tab, 'session:resume', { code: host.code, token: student.token, lastSeq: 0 });
    await ok(host.socket, 'host:lock', { locked: false });
    await ok(newcomer, 'session:join', { code: host.code, name: 'Bob' });
  });

  test('an ended session refuses commands and joins, but can still be looked at', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    await ok(host.socket, 'host:play', { playing: true });
    await ok(host.socket, 'host:end', {});
    const state = await student.mirror.reach(serverState(server, host.code).seq);
    expect(state).toMatchObject({ ended: true, playing: false });
    expect(server.app.sessions.get(host.code)!.play.running).toBe(false);
    for (const [command, payload] of [
      ['host:step', { granularity: 'batch' }],
      ['host:play', { playing: true }],
      ['host:end', {}],
    ] as const) {
      expect(await emitAck(host.socket, command, payload)).toMatchObject({
        ok: false,
        error: { code: 'ended' },
      });
    }
    const newcomer = await server.connect();
    expect(await emitAck(newcomer, 'session:join', { code: host.code, name: 'Bob' })).toMatchObject(
      {
        ok: false,
        error: { code: 'ended' },
      },
    );
    const tab = await server.connect();
    const resumed = await ok(tab, 'session:resume', {
      code: host.code,
      token: student.token,
      lastSeq: 0,
    });
    expect(resumed.sync).toMatchObject({ kind: 'snapshot', state: { ended: true } });
  });

  test('after `ended` nothing is appended: resumes and disconnects are not recorded', async () => {
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    await ok(host.socket, 'host:end', {});
    const endSeq = serverState(server, host.code).seq;
    const gone = once(student.socket, 'disconnect');
    student.socket.disconnect();
    await gone.catch(() => undefined);
    host.socket.disconnect();
    for (const token of [student.token, host.hostToken]) {
      const tab = await server.connect();
      await ok(tab, 'session:resume', { code: host.code, token, lastSeq: 0 });
      tab.disconnect();
    }
    await waitUntil(() => server.app.sessions.get(host.code)!.members.socketCount === 0);
    expect(serverState(server, host.code).seq).toBe(endSeq);
    const events = await storeOf(server).eventsSince(host.code, 0);
    expect(events.at(-1)).toMatchObject({ seq: endSeq, type: 'ended' });
  });
});

describe('protocol version', () => {
  test.each([[PROTOCOL_VERSION + 1], [0], ['1'], [undefined]])(
    'a client speaking protocol %j is refused at connect',
    async (protocol) => {
      const error = await server.connect({ protocol }).then(
        () => null,
        (err: unknown) => err as Error & { data?: unknown },
      );
      expect(error?.message).toBe('protocol-mismatch');
      expect(error?.data).toEqual({ expected: PROTOCOL_VERSION });
    },
  );
});
