/**
 * A session whose room is not in memory (disposed when idle, or lost in a restart) comes
 * back from the store when someone resumes or joins: the same state, the members by their
 * stored token hashes, and the Training at the exact point — mid staged step, mid epoch,
 * after compact play frames — so that what follows is what would have followed anyway.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CHECKPOINT_EVERY } from '../../src/room/room';
import { startServer, type TestServer } from '../helpers/server';
import {
  createSession,
  joinSession,
  serverState,
  uploadCsv,
  type Host,
  type Student,
} from '../helpers/session';
import { emitAck, Mirror, ok } from '../helpers/sockets';
import { getJson, play, replayIdOf, storeOf } from '../helpers/recordings';

let server: TestServer;
let host: Host;
let ada: Student;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
  ada = await joinSession(server, host.code, 'Ada');
});
afterEach(async () => {
  await server.close();
});

/** Takes the room out of memory, as the idle sweep does. */
function evict(): void {
  server.app.sessions.dispose(host.code, 'idle');
  expect(server.app.sessions.get(host.code)).toBeUndefined();
}

async function resume(member: { token: string; mirror: Mirror }) {
  const socket = await server.connect();
  const mirror = new Mirror(socket);
  mirror.state = member.mirror.state;
  const reply = await ok(socket, 'session:resume', {
    code: host.code,
    token: member.token,
    lastSeq: member.mirror.seq,
  });
  mirror.sync(reply.sync);
  return { socket, mirror, reply };
}

test('mid-epoch, mid staged step, after play: back exactly where it was', async () => {
  await ok(host.socket, 'host:hyper', { batchSize: 7 });
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  await play(server, host, 120);
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  const before = server.app.sessions.get(host.code)!;
  const network = before.training.network();
  const nextStage = before.training.nextStage;
  await host.mirror.reach(before.state.seq);
  host.socket.disconnect();
  ada.socket.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  evict();

  const back = await resume({ token: host.hostToken, mirror: host.mirror });
  expect(back.reply).toMatchObject({ role: 'host', replayId: await replayIdOf(server, host) });
  const room = server.app.sessions.get(host.code)!;
  expect(room.training.network()).toEqual(network);
  expect(room.training.nextStage).toEqual(nextStage);
  expect(back.mirror.state).toEqual(room.state);
  expect(back.mirror.gaps + back.mirror.duplicates).toBe(0);

  // The staged step goes on from its stage; play and steps go on from the same rows.
  for (let k = 0; k < 6; k++) await ok(back.socket, 'host:step', { granularity: 'stage' });
  await ok(back.socket, 'host:step', { granularity: 'epoch' });
  await play(server, { ...host, socket: back.socket }, 100);
  const verified = await getJson(
    server,
    `/api/recordings/${await replayIdOf(server, host)}/verify`,
    {
      method: 'POST',
    },
  );
  expect(verified.body).toMatchObject({ ok: true });
});

test('while playing: back paused, with the exact weights and nobody connected but who resumed', async () => {
  await ok(host.socket, 'host:hyper', { speed: 500 });
  await ok(host.socket, 'host:play', { playing: true });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = server.app.sessions.get(host.code)!;
  // What the room trains on now, and what the state says (rounded by the frames).
  const stepsBefore = before.state.step;
  evict();

  const back = await resume({ token: ada.token, mirror: ada.mirror });
  const room = server.app.sessions.get(host.code)!;
  expect(room.state).toMatchObject({ playing: false, step: stepsBefore, hostConnected: false });
  expect(room.state.participants).toEqual([
    { id: ada.participantId, name: 'Ada', connected: true },
  ]);
  // Settled: the state holds the exact weights the training goes on from.
  expect(room.state.network).toEqual(room.training.network());
  expect(back.mirror.state).toEqual(room.state);
  const types = back.reply.sync.kind === 'events' ? back.reply.sync.events.map((e) => e.type) : [];
  expect(types).toEqual([
    'progressed',
    'play-changed',
    'host-connection',
    'participant-connection',
    'participant-connection',
  ]);
});

test('tokens come back as hashes: a kicked student stays out, a new one may take the name', async () => {
  const bob = await joinSession(server, host.code, 'Bob');
  await ok(host.socket, 'host:kick', { participantId: bob.participantId });
  evict();
  const stranger = await server.connect();
  const refused = await emitAck(stranger, 'session:resume', {
    code: host.code,
    token: bob.token,
    lastSeq: 0,
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'kicked' } });
  const wrong = await emitAck(stranger, 'session:resume', {
    code: host.code,
    token: 'x'.repeat(32),
    lastSeq: 0,
  });
  expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const newBob = await joinSession(server, host.code, 'Bob');
  expect(newBob.mirror.state!.participants.map((p) => p.name)).toEqual(['Ada', 'Bob']);
  // The host's token still works after all that.
  const back = await resume({ token: host.hostToken, mirror: host.mirror });
  expect(back.reply.role).toBe('host');
});

test('an ended session stays ended; an unknown code stays unknown', async () => {
  await ok(host.socket, 'host:end', {});
  evict();
  const socket = await server.connect();
  expect(await emitAck(socket, 'session:join', { code: host.code, name: 'Late' })).toMatchObject({
    ok: false,
    error: { code: 'ended' },
  });
  expect(await emitAck(socket, 'session:join', { code: 'ZZZZZZ', name: 'Late' })).toMatchObject({
    ok: false,
    error: { code: 'not-found' },
  });
});

test('two resumes at once share one restore', async () => {
  evict();
  const [a, b] = await Promise.all([
    resume({ token: host.hostToken, mirror: host.mirror }),
    resume({ token: ada.token, mirror: ada.mirror }),
  ]);
  expect(a.reply.role).toBe('host');
  expect(b.reply.role).toBe('student');
  expect(server.logs.filter((line) => line.msg === 'session restored from the store')).toHaveLength(
    1,
  );
});

test('a session on an uploaded CSV file comes back on the same file', async () => {
  const csv = ['x,y', ...Array.from({ length: 30 }, (_, k) => `${k},${(k * 7) % 11}`), ''].join(
    '\n',
  );
  expect(await uploadCsv(server, host, csv, ['y'])).toBe(200);
  const setup = {
    datasetId: 'csv',
    hidden: [3],
    activations: ['tanh', 'linear'],
    trainBiases: true,
    seed: 4,
    normalize: true,
    testFraction: 0.2,
  } as const;
  await ok(host.socket, 'host:setup', setup);
  await ok(host.socket, 'host:step', { granularity: 'epoch' });
  const network = server.app.sessions.get(host.code)!.training.network();
  evict();
  const back = await resume({ token: host.hostToken, mirror: host.mirror });
  const room = server.app.sessions.get(host.code)!;
  expect(room.training.network()).toEqual(network);
  expect(room.csvDataset?.rows).toBe(30);
  // The file is still there to choose again.
  await ok(back.socket, 'host:setup', { ...setup, seed: 5 });
  await ok(back.socket, 'host:step', { granularity: 'batch' });
  const verified = await getJson(
    server,
    `/api/recordings/${await replayIdOf(server, host)}/verify`,
    {
      method: 'POST',
    },
  );
  expect(verified.body).toMatchObject({ ok: true });
});

describe('training checkpoints', () => {
  /** A session past CHECKPOINT_EVERY events, mid-epoch, with its last checkpoint behind. */
  async function longSession(): Promise<void> {
    await ok(host.socket, 'host:hyper', { batchSize: 5 });
    await ok(host.socket, 'host:step', { granularity: 'epoch' });
    for (let k = 0; k < CHECKPOINT_EVERY; k++) {
      await ok(host.socket, 'host:marker', { label: `m${k}` });
    }
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    await play(server, host, 150);
    await ok(host.socket, 'host:step', { granularity: 'sample' });
  }

  async function restoredFrom(): Promise<unknown> {
    const room = server.app.sessions.get(host.code)!;
    const network = room.training.network();
    evict();
    const back = await resume({ token: host.hostToken, mirror: host.mirror });
    const restored = server.app.sessions.get(host.code)!;
    expect(restored.training.network()).toEqual(network);
    await ok(back.socket, 'host:step', { granularity: 'epoch' });
    await play(server, { ...host, socket: back.socket }, 100);
    const verified = await getJson(
      server,
      `/api/recordings/${await replayIdOf(server, host)}/verify`,
      {
        method: 'POST',
      },
    );
    expect(verified.body).toMatchObject({ ok: true });
    return server.logs.find((line) => line.msg === 'session restored from the store')?.from;
  }

  test('a restore starts from the latest checkpoint and lands exactly', async () => {
    await longSession();
    const checkpoint = (await storeOf(server).trainingCheckpoint(host.code))!;
    expect(checkpoint.seq).toBeGreaterThanOrEqual(CHECKPOINT_EVERY);
    expect(checkpoint.seq).toBeLessThan(serverState(server, host.code).seq);
    expect(await restoredFrom()).toBe(checkpoint.seq);
  });

  test('a checkpoint that does not fit its state is not used: from the start, still exact', async () => {
    await longSession();
    const store = storeOf(server);
    const checkpoint = (await store.trainingCheckpoint(host.code))!;
    await store.putTrainingCheckpoint(host.code, { ...checkpoint, epoch: checkpoint.epoch + 1 });
    expect(await restoredFrom()).toBe(0);
    expect(
      server.logs.some((line) => line.msg === 'restore: checkpoint unusable; from the start'),
    ).toBe(true);
  });
});
