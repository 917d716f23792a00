/**
 * Stepping together through the real server: the quorum counted over connected students
 * as they join, leave and come back, the step taken through host:step's own code (the
 * same events), readiness cleared after each class step.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { classStepsStatus, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { dropConnection, joinClass, reconnect } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, type Host, type Student } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const state = () => serverState(server, host.code);
const status = () => classStepsStatus(state());

async function readyAll(students: Student[]): Promise<void> {
  for (const s of students) await ok(s.socket, 'student:ready', { ready: true });
}

/** Lets queued reactions (a quorum check after a disconnect) run. */
async function settle(): Promise<void> {
  await ok(host.socket, 'session:sync', { lastSeq: state().seq });
}

describe('the quorum', () => {
  test('majority of 20: 10 ready do not step; one student who was not ready leaves, and 10 of 19 do', async () => {
    const students = await joinClass(server, host.code, 20);
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'majority' },
    });
    await readyAll(students.slice(0, 10));
    await settle();
    expect(status()).toEqual({ ready: 10, connected: 20, needed: 11, reached: false });
    expect(state().step).toBe(0);

    const watcher = students[0]!;
    const from = state().seq;
    await dropConnection(server, host.code, students[19]!);
    await waitUntil(() => state().step === 1);
    expect(state().participation.classSteps).toMatchObject({ readyIds: [], rounds: 1 });
    await waitUntil(() => watcher.mirror.seq === state().seq);
    const types = watcher.mirror.received.filter((e) => e.seq > from).map((e) => e.type);
    expect(types).toEqual(['participant-connection', 'class-stepped', 'stepped']);
    const stepped = watcher.mirror.received.find((e) => e.type === 'class-stepped');
    expect(stepped).toMatchObject({ ready: 10, needed: 10, forced: false, granularity: 'sample' });
  });

  test('55 %: 10 of 20 need 11; one leaves (10 of 19 need 11); a second leaves (10 of 18 need 10): step', async () => {
    const students = await joinClass(server, host.code, 20);
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'batch',
      quorum: { kind: 'percent', value: 55 },
    });
    await readyAll(students.slice(0, 10));
    expect(status()).toMatchObject({ ready: 10, connected: 20, needed: 11 });
    await dropConnection(server, host.code, students[19]!);
    await settle();
    expect(status()).toMatchObject({ ready: 10, connected: 19, needed: 11, reached: false });
    expect(state().step).toBe(0);
    await dropConnection(server, host.code, students[18]!);
    await waitUntil(() => state().step === 1);
    expect(status()).toMatchObject({ ready: 0, connected: 18, needed: 10 });
  });

  test('joins raise what is needed; a ready student who leaves stops counting and comes back not ready', async () => {
    const students = await joinClass(server, host.code, 10);
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'majority' },
    });
    await readyAll(students.slice(0, 5));
    expect(status()).toMatchObject({ ready: 5, connected: 10, needed: 6 });
    const late = await joinClass(server, host.code, 4, 'Late');
    expect(status()).toMatchObject({ ready: 5, connected: 14, needed: 8, reached: false });

    await dropConnection(server, host.code, students[0]!);
    await settle();
    expect(status()).toMatchObject({ ready: 4, connected: 13, needed: 7 });
    expect(state().participation.classSteps.readyIds).not.toContain(students[0]!.participantId);
    const back = await reconnect(server, host.code, students[0]!);
    expect(status()).toMatchObject({ ready: 4, connected: 14, needed: 8 });

    // The late joiners and the returning student complete it: 8 of 14.
    await readyAll([...late.slice(0, 3), back]);
    await waitUntil(() => state().step === 1);
    expect(status()).toMatchObject({ ready: 0, connected: 14, needed: 8 });
    expect(state().participation.classSteps.rounds).toBe(1);
  });

  test('a kicked ready student stops counting, and the kick can complete the quorum', async () => {
    const students = await joinClass(server, host.code, 4);
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'all' },
    });
    await readyAll(students.slice(0, 3));
    expect(status()).toMatchObject({ ready: 3, needed: 4 });
    await ok(host.socket, 'host:kick', { participantId: students[3]!.participantId });
    await waitUntil(() => state().step === 1);
    await readyAll(students.slice(0, 1));
    await ok(host.socket, 'host:kick', { participantId: students[0]!.participantId });
    await settle();
    expect(status()).toMatchObject({ ready: 0, connected: 2, needed: 2 });
    expect(state().step).toBe(1);
  });
});

describe('the step', () => {
  /** The events after `seq`, without seq and time: what the step did. */
  function bodiesAfter(events: SessionEvent[], seq: number) {
    return events
      .filter((e) => e.seq > seq)
      .map(({ seq: _seq, t: _t, ...body }) => body)
      .filter((body) => body.type !== 'class-stepped' && body.type !== 'class-ready');
  }

  test('is exactly a host step: the same events as host:step in a twin session', async () => {
    const twin = await createSession(server);
    const [student] = await joinClass(server, host.code, 1);
    await joinClass(server, twin.code, 1, 'Twin');
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'stage',
      quorum: { kind: 'count', value: 1 },
    });
    const from = state().seq;
    const twinFrom = serverState(server, twin.code).seq;
    // Stage by stage through a whole step, then a batch step.
    const stages = 2 * (state().setup.layers.length - 1) + 3;
    for (let k = 0; k < stages; k++) {
      await ok(student!.socket, 'student:ready', { ready: true });
      await ok(twin.socket, 'host:step', { granularity: 'stage' });
    }
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'batch',
      quorum: { kind: 'count', value: 1 },
    });
    await ok(student!.socket, 'student:ready', { ready: true });
    await ok(twin.socket, 'host:step', { granularity: 'batch' });
    await waitUntil(
      () =>
        host.mirror.seq === state().seq && twin.mirror.seq === serverState(server, twin.code).seq,
    );

    const classBodies = bodiesAfter(host.mirror.received, from).filter(
      (b) => b.type !== 'class-steps-set',
    );
    expect(classBodies.map((b) => b.type)).toEqual([
      'staged-step-opened',
      ...Array(stages - 1).fill('stage-ran'),
      'stepped',
    ]);
    expect(classBodies).toEqual(bodiesAfter(twin.mirror.received, twinFrom));
    const classSteps = host.mirror.received.filter((e) => e.type === 'class-stepped');
    expect(classSteps).toHaveLength(stages + 1);
    const final: SessionState = state();
    expect(final.network).toEqual(serverState(server, twin.code).network);
    expect(final.participation.classSteps.rounds).toBe(stages + 1);
  });

  test('force-step steps with whoever is ready; settings and refusals', async () => {
    const students = await joinClass(server, host.code, 3);
    expect(await emitAck(students[0]!.socket, 'student:ready', { ready: true })).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    expect(await emitAck(host.socket, 'host:force-step', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'all' },
    });
    await ok(students[0]!.socket, 'student:ready', { ready: true });
    await ok(students[1]!.socket, 'student:ready', { ready: true });
    await ok(students[1]!.socket, 'student:ready', { ready: false });
    expect(status()).toMatchObject({ ready: 1, needed: 3 });
    await ok(host.socket, 'host:force-step', {});
    expect(state().step).toBe(1);
    expect(host.mirror.received.filter((e) => e.type === 'class-stepped').at(-1)).toMatchObject({
      forced: true,
      ready: 1,
      needed: 3,
    });

    // Lowering the quorum steps at once when those ready already make it.
    await readyAll(students.slice(0, 2));
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'count', value: 2 },
    });
    expect(state().step).toBe(2);

    // Turning it off clears readiness; students cannot step the network themselves.
    await ok(students[0]!.socket, 'student:ready', { ready: true });
    await ok(host.socket, 'host:class-steps', {
      enabled: false,
      granularity: 'sample',
      quorum: { kind: 'count', value: 2 },
    });
    expect(state().participation.classSteps.readyIds).toEqual([]);
    expect(
      await emitAck(students[0]!.socket, 'host:step', { granularity: 'sample' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // While playing, nobody can get ready (training is already moving).
    await ok(host.socket, 'host:class-steps', {
      enabled: true,
      granularity: 'sample',
      quorum: { kind: 'all' },
    });
    await ok(host.socket, 'host:play', { playing: true });
    expect(await emitAck(students[0]!.socket, 'student:ready', { ready: true })).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });
    expect(await emitAck(host.socket, 'host:force-step', {})).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });
    await ok(host.socket, 'host:play', { playing: false });
  });
});
