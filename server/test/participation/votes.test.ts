/**
 * Votes through the real server: one ballot per student, changeable until the close,
 * hidden tallies that no event leaks, the close applying the winner (a tie to the lower
 * rate), and ballots refused once their round is over, also from a reconnecting phone.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { dropConnection, joinClass, newKey, reconnect, TestClock } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, type Host, type Student } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let clock: TestClock;
let host: Host;
let students: Student[];
/** Proposal ids for the rates 0.01, 0.1, 1 (by students 0, 1, 2). */
let ids: string[];

beforeEach(async () => {
  clock = new TestClock();
  server = await startServer({ clock });
  host = await createSession(server);
  students = await joinClass(server, host.code, 6);
  await ok(host.socket, 'host:proposals', { open: true });
  ids = [];
  for (const [k, rate] of [0.01, 0.1, 1].entries()) {
    ids.push(
      (await ok(students[k]!.socket, 'student:propose', { rate, key: newKey() })).proposalId,
    );
  }
});
afterEach(async () => {
  await server.close();
});

const state = () => serverState(server, host.code);
const vote = () => state().participation.vote!;

function cast(student: Student, voteId: string, proposalId: string, key = newKey()) {
  return emitAck(student.socket, 'student:vote', { voteId, proposalId, key });
}

async function open(hideTallies: boolean, proposalIds = ids): Promise<string> {
  return (await ok(host.socket, 'host:vote-open', { proposalIds, hideTallies })).voteId;
}

describe('a vote with live tallies', () => {
  test('one ballot each, changeable; the close applies the winner', async () => {
    const voteId = await open(false);
    expect(vote()).toMatchObject({ id: voteId, status: 'open', votes: 0, tallies: [0, 0, 0] });
    expect(vote().options.map((o) => o.rate)).toEqual([0.01, 0.1, 1]);

    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[1], key: newKey() });
    await ok(students[1]!.socket, 'student:vote', { voteId, proposalId: ids[1], key: newKey() });
    await ok(students[2]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    expect(vote()).toMatchObject({ votes: 3, tallies: [0, 2, 1] });
    // A change moves the ballot; the same choice again records nothing.
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    expect(vote()).toMatchObject({ votes: 3, tallies: [0, 1, 2] });
    const seq = state().seq;
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    expect(state().seq).toBe(seq);
    // Not an option of this vote.
    expect(await cast(students[3]!, voteId, 'p999')).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    // The host does not vote.
    expect(
      await emitAck(host.socket, 'student:vote', { voteId, proposalId: ids[0], key: newKey() }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const closed = await ok(host.socket, 'host:vote-close', {});
    expect(closed).toEqual({ ok: true, winner: ids[2], learningRate: 1 });
    expect(vote()).toMatchObject({
      status: 'closed',
      votes: 3,
      tallies: [0, 1, 2],
      winner: ids[2],
    });
    expect(state().hyper.learningRate).toBe(1);
    const student = students[5]!;
    await waitUntil(() => student.mirror.seq === state().seq);
    expect(student.mirror.received.slice(-2).map((e) => e.type)).toEqual([
      'vote-closed',
      'hyper-changed',
    ]);
    expect(student.mirror.state!.rateMarks.at(-1)).toEqual({ step: 0, learningRate: 1 });
    expect(student.mirror.state).toEqual(state());

    // After the close: refused, and nothing changes.
    expect(await cast(students[4]!, voteId, ids[0]!)).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    expect(await emitAck(host.socket, 'host:vote-close', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
  });

  test('a tie goes to the lower rate; a vote without ballots applies nothing', async () => {
    let voteId = await open(false);
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    await ok(students[1]!.socket, 'student:vote', { voteId, proposalId: ids[1], key: newKey() });
    expect(await ok(host.socket, 'host:vote-close', {})).toMatchObject({ learningRate: 0.1 });

    voteId = await open(false);
    const seq = state().seq;
    expect(await ok(host.socket, 'host:vote-close', {})).toEqual({
      ok: true,
      winner: null,
      learningRate: null,
    });
    expect(state().seq).toBe(seq + 1); // vote-closed only: no hyper-changed
    expect(state().hyper.learningRate).toBe(0.1);
    expect(voteId).toMatch(/^v\d+$/);
  });

  test('options must be proposals in the pool, 2 to 8 different ones', async () => {
    for (const proposalIds of [[ids[0]], [ids[0], ids[0]], [ids[0], 'p999'], Array(9).fill('x')]) {
      const reply = await emitAck(host.socket, 'host:vote-open', {
        proposalIds,
        hideTallies: false,
      });
      expect(reply, JSON.stringify(proposalIds)).toMatchObject({ ok: false });
    }
    // A proposal on the open ballot cannot be withdrawn from under it.
    await open(false, [ids[0]!, ids[1]!]);
    expect(
      await emitAck(students[0]!.socket, 'student:withdraw', { proposalId: ids[0] }),
    ).toMatchObject({ ok: false, error: { code: 'busy' } });
  });
});

describe('hidden tallies', () => {
  test('while open, events and state carry only the number of ballots', async () => {
    const watcher = students[5]!;
    const from = state().seq;
    const voteId = await open(true);
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[0], key: newKey() });
    await ok(students[1]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    await ok(students[2]!.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    // A changed ballot changes nothing public: no event at all.
    const seq = state().seq;
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[1], key: newKey() });
    expect(state().seq).toBe(seq);
    await waitUntil(() => watcher.mirror.seq === state().seq);

    const during = watcher.mirror.received.filter((e: SessionEvent) => e.seq > from);
    expect(during.map((e) => e.type)).toEqual([
      'vote-opened',
      'vote-cast',
      'vote-cast',
      'vote-cast',
    ]);
    for (const event of during) {
      if (event.type === 'vote-cast') expect(event.tallies).toBeNull();
    }
    expect(
      during.filter((e) => e.type === 'vote-cast').map((e) => 'votes' in e && e.votes),
    ).toEqual([1, 2, 3]);
    // No voter id in any of them, nor in the state.
    const text = JSON.stringify(during) + JSON.stringify(watcher.mirror.state!.participation.vote);
    for (const s of students.slice(0, 3)) expect(text).not.toContain(s.participantId);
    expect(watcher.mirror.state!.participation.vote).toMatchObject({ votes: 3, tallies: null });

    // The close reveals them (with the changed ballot where it ended up).
    await ok(host.socket, 'host:vote-close', {});
    await waitUntil(() => watcher.mirror.seq === state().seq);
    expect(watcher.mirror.state!.participation.vote).toMatchObject({
      status: 'closed',
      votes: 3,
      tallies: [0, 1, 2],
      winner: ids[2],
    });
  });
});

describe('stale and repeated ballots', () => {
  test('a ballot for a replaced round, resent by a reconnecting phone, is refused', async () => {
    const phone = students[3]!;
    const first = await open(false);
    const payload = { voteId: first, proposalId: ids[0], key: newKey() };
    await ok(phone.socket, 'student:vote', payload);

    // The phone drops; meanwhile the host replaces the vote.
    await dropConnection(server, host.code, phone);
    const second = await open(false, [ids[1]!, ids[2]!]);
    expect(vote()).toMatchObject({ id: second, votes: 0, tallies: [0, 0] });
    const back = await reconnect(server, host.code, phone);
    // A new ballot for the old round (the app's retry after reconnecting): refused.
    expect(await cast(back, first, ids[0]!)).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    expect(vote()).toMatchObject({ id: second, votes: 0 });
    await ok(back.socket, 'student:vote', { voteId: second, proposalId: ids[1], key: newKey() });
    expect(vote()).toMatchObject({ votes: 1, tallies: [1, 0] });
  });

  test('a resent ballot (same key) counts once and does not undo a later change', async () => {
    const voteId = await open(false);
    const s = students[4]!;
    const firstChoice = { voteId, proposalId: ids[0], key: newKey() };
    const reply = await ok(s.socket, 'student:vote', firstChoice);
    expect(
      await Promise.all([0, 1, 2].map(() => emitAck(s.socket, 'student:vote', firstChoice))),
    ).toEqual([reply, reply, reply]);
    expect(vote()).toMatchObject({ votes: 1, tallies: [1, 0, 0] });
    await ok(s.socket, 'student:vote', { voteId, proposalId: ids[2], key: newKey() });
    // The old request arrives late: answered as before, the ballot stays on the new choice.
    expect(await emitAck(s.socket, 'student:vote', firstChoice)).toEqual(reply);
    expect(vote()).toMatchObject({ votes: 1, tallies: [0, 0, 1] });
  });

  test('a vote whose ballots were lost (a restored room) takes no more and must be reopened', async () => {
    const voteId = await open(false);
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[0], key: newKey() });
    // What a room restored from its events has: the public count, not the ballots.
    server.app.sessions.get(host.code)!.participation.ballots = {
      voteId: '',
      byStudent: new Map(),
    };
    expect(await cast(students[0]!, voteId, ids[1]!)).toMatchObject({
      ok: false,
      error: { code: 'closed', message: expect.stringContaining('restarted') },
    });
    expect(await emitAck(host.socket, 'host:vote-close', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    const again = await open(false);
    await ok(students[0]!.socket, 'student:vote', {
      voteId: again,
      proposalId: ids[1],
      key: newKey(),
    });
    expect(vote()).toMatchObject({ id: again, votes: 1, tallies: [0, 1, 0] });
  });

  test('a kicked student’s ballot no longer counts', async () => {
    const voteId = await open(true);
    await ok(students[0]!.socket, 'student:vote', { voteId, proposalId: ids[0], key: newKey() });
    await ok(students[1]!.socket, 'student:vote', { voteId, proposalId: ids[1], key: newKey() });
    await ok(host.socket, 'host:kick', { participantId: students[0]!.participantId });
    await waitUntil(() => vote().votes === 1);
    expect(await ok(host.socket, 'host:vote-close', {})).toMatchObject({ winner: ids[1] });
    expect(vote().tallies).toEqual([0, 1, 0]);
  });
});
