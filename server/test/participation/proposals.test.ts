/**
 * Learning-rate proposals through the real server: validation, the room's limits (one per
 * 5 s, three open, a full pool), merging of equal rates, idempotent resends, anonymity,
 * applying one proposal or the median.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { newKey, TestClock, joinClass } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, type Host, type Student } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let clock: TestClock;
let host: Host;
let ada: Student;
let bob: Student;
let cy: Student;

beforeEach(async () => {
  clock = new TestClock();
  server = await startServer({ clock });
  host = await createSession(server);
  [ada, bob, cy] = (await joinClass(server, host.code, 3)) as [Student, Student, Student];
  await ok(host.socket, 'host:proposals', { open: true });
});
afterEach(async () => {
  await server.close();
});

const state = () => serverState(server, host.code);
const pool = () => state().participation.proposals;

function propose(student: Student, rate: unknown, extra: Record<string, unknown> = {}) {
  return emitAck(student.socket, 'student:propose', { rate, key: newKey(), ...extra });
}

describe('validation', () => {
  test.each([
    ['0', 0],
    ['a negative rate', -0.1],
    // JSON (socket.io's encoding) writes Infinity as null.
    ['1e999 (Infinity, which arrives as null)', Number('1e999')],
    ['NaN (null too)', NaN],
    ['"0.1" as a string', '0.1'],
    ['above 10', 10.5],
    ['below 1e-5', 1e-6],
    ['an object', { value: 0.1 }],
  ])('refuses %s with bad-request and records nothing', async (_what, rate) => {
    const seq = state().seq;
    const reply = await propose(ada, rate);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('rate') },
    });
    expect(state().seq).toBe(seq);
  });

  test('refuses bad keys, unknown fields and notes too long once cleaned', async () => {
    const bad = [
      { rate: 0.1, key: 'short' },
      { rate: 0.1, key: 'has spaces in it' },
      { rate: 0.1 },
      { rate: 0.1, key: newKey(), proposer: 'someone else' },
      { rate: 0.1, key: newKey(), note: 'x'.repeat(141) },
      { rate: 0.1, key: newKey(), note: 'x'.repeat(601) },
    ];
    for (const payload of bad) {
      const reply = await emitAck(ada.socket, 'student:propose', payload);
      expect(reply, JSON.stringify(payload).slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }
    expect(pool().items).toEqual([]);
  });

  test('cleans the note like a name: invisible characters and runs of spaces go', async () => {
    // 200 characters typed, 140 once cleaned: accepted.
    const padded = `  ${'a '.repeat(70)}\u200b\u202e${' '.repeat(60)}`;
    await ok(ada.socket, 'student:propose', { rate: 0.1, note: padded, key: newKey() });
    await ok(bob.socket, 'student:propose', {
      rate: 0.2,
      note: 'smaller\u200b  \t steps\u2066!',
      key: newKey(),
    });
    expect(pool().items.map((p) => p.note)).toEqual([`${'a '.repeat(69)}a`, 'smaller steps!']);
  });

  test('only students propose, and only while proposals are open', async () => {
    expect(
      await emitAck(host.socket, 'student:propose', { rate: 0.1, key: newKey() }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stranger = await server.connect();
    expect(await emitAck(stranger, 'student:propose', { rate: 0.1, key: newKey() })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await emitAck(ada.socket, 'host:proposals', { open: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await ok(host.socket, 'host:proposals', { open: false });
    expect(await propose(ada, 0.1)).toMatchObject({ ok: false, error: { code: 'closed' } });
  });
});

describe('limits', () => {
  test('one proposal every 5 s per student, on the server clock', async () => {
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    expect(await propose(ada, 0.2)).toMatchObject({
      ok: false,
      error: {
        code: 'rate-limited',
        message: expect.stringContaining('5 s'),
        retryAfterMs: expect.closeTo(5_000, -2),
      },
    });
    // Others are not held up by Ada.
    await ok(bob.socket, 'student:propose', { rate: 0.2, key: newKey() });
    clock.advance(4_900);
    // The wait left is said in milliseconds too, for the client to clear its message then.
    expect(await propose(ada, 0.3)).toMatchObject({
      ok: false,
      error: { code: 'rate-limited', retryAfterMs: expect.closeTo(100, -2) },
    });
    clock.advance(100);
    await ok(ada.socket, 'student:propose', { rate: 0.3, key: newKey() });
  });

  test('at most 3 open proposals per student; withdrawing frees a place', async () => {
    const ids: string[] = [];
    for (const rate of [0.1, 0.2, 0.3]) {
      ids.push((await ok(ada.socket, 'student:propose', { rate, key: newKey() })).proposalId);
      clock.advance(5_000);
    }
    expect(await propose(ada, 0.4)).toMatchObject({
      ok: false,
      error: { code: 'busy', message: expect.stringContaining('3 open proposals') },
    });
    // Supporting someone else's rate takes a place too.
    await ok(bob.socket, 'student:propose', { rate: 0.5, key: newKey() });
    expect(await propose(ada, 0.5)).toMatchObject({ ok: false, error: { code: 'busy' } });

    await ok(ada.socket, 'student:withdraw', { proposalId: ids[0] });
    expect(await emitAck(ada.socket, 'student:withdraw', { proposalId: ids[0] })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await emitAck(bob.socket, 'student:withdraw', { proposalId: ids[1] })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    await ok(ada.socket, 'student:propose', { rate: 0.4, key: newKey() });
    expect(pool().items.map((p) => p.rate)).toEqual([0.2, 0.3, 0.5, 0.4]);
  });

  test('equal rates (within 1e-12 relative) merge and count their supporters', async () => {
    const first = await ok(ada.socket, 'student:propose', {
      rate: 0.1,
      note: 'mine',
      key: newKey(),
    });
    const merged = await ok(bob.socket, 'student:propose', {
      rate: 0.1 * (1 + 5e-13),
      note: 'also mine',
      key: newKey(),
    });
    expect(merged).toEqual({ ok: true, proposalId: first.proposalId, merged: true });
    const apart = await ok(cy.socket, 'student:propose', {
      rate: 0.1 * (1 + 2e-12),
      key: newKey(),
    });
    expect(apart.proposalId).not.toBe(first.proposalId);
    expect(pool().items).toEqual([
      {
        id: first.proposalId,
        rate: 0.1,
        note: 'mine',
        supporters: 2,
        by: [ada.participantId, bob.participantId],
      },
      expect.objectContaining({ id: apart.proposalId, supporters: 1 }),
    ]);
    // Proposing one's own rate again changes nothing.
    clock.advance(5_000);
    const seq = state().seq;
    expect(await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() })).toEqual({
      ok: true,
      proposalId: first.proposalId,
      merged: false,
    });
    expect(state().seq).toBe(seq);
    // One supporter leaves: the proposal stays with the other.
    await ok(ada.socket, 'student:withdraw', { proposalId: first.proposalId });
    expect(pool().items[0]).toMatchObject({ supporters: 1, by: [bob.participantId] });
  });

  test('the pool holds 500 proposals at most', async () => {
    const room = server.app.sessions.get(host.code)!;
    // Fill it from the inside (500 students would make this test about joining).
    room.run(() => {
      for (let k = 0; k < 500; k++) {
        room.record({
          type: 'proposal-added',
          proposal: { id: `p-fill-${k}`, rate: 1 + k / 1000, note: '', supporters: 1, by: [] },
        });
      }
    });
    await waitUntil(() => pool().items.length === 500);
    expect(await propose(ada, 0.001)).toMatchObject({
      ok: false,
      error: { code: 'busy', message: expect.stringContaining('500') },
    });
    // Supporting a rate already there still works.
    await ok(ada.socket, 'student:propose', { rate: 1, key: newKey() });
  });
});

describe('idempotency', () => {
  test('a resent proposal (same key) is answered the same and counts once', async () => {
    const key = newKey();
    const payload = { rate: 0.05, note: 'from my phone', key };
    const first = await ok(ada.socket, 'student:propose', payload);
    const seq = state().seq;
    // Immediately (inside the 5 s interval) and twice at once: the first answer, no event.
    const again = await Promise.all([
      emitAck(ada.socket, 'student:propose', payload),
      emitAck(ada.socket, 'student:propose', payload),
    ]);
    expect(again).toEqual([first, first]);
    expect(state().seq).toBe(seq);
    expect(pool().items).toEqual([expect.objectContaining({ rate: 0.05, supporters: 1 })]);
    // The same key for another command is refused.
    expect(
      await emitAck(ada.socket, 'student:answer', {
        quizId: 'q1',
        answer: { kind: 'loss', value: 1 },
        key,
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test('two resends racing from two tabs of one student count once', async () => {
    const tab = await server.connect();
    await ok(tab, 'session:resume', { code: host.code, token: ada.token, lastSeq: 0 });
    const payload = { rate: 0.07, key: newKey() };
    const [a, b] = await Promise.all([
      emitAck(ada.socket, 'student:propose', payload),
      emitAck(tab, 'student:propose', payload),
    ]);
    expect(a).toEqual(b);
    expect(pool().items).toEqual([expect.objectContaining({ rate: 0.07, supporters: 1 })]);
  });

  test('a refused proposal is not remembered: the same key works once allowed', async () => {
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    const payload = { rate: 0.2, key: newKey() };
    expect(await emitAck(ada.socket, 'student:propose', payload)).toMatchObject({ ok: false });
    clock.advance(5_000);
    await ok(ada.socket, 'student:propose', payload);
    expect(pool().items).toHaveLength(2);
  });
});

describe('who proposed what', () => {
  test('names shown: ids in the proposals; anonymous: no proposer id in any event or state', async () => {
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    await waitUntil(() => bob.mirror.state!.participation.proposals.items.length === 1);
    expect(bob.mirror.state!.participation.proposals.items[0]!.by).toEqual([ada.participantId]);

    await ok(host.socket, 'host:participation', { showNames: false });
    const from = state().seq;
    // Hiding names takes back those already shown.
    expect(pool().items[0]!.by).toEqual([]);
    await ok(cy.socket, 'student:propose', { rate: 0.3, note: 'bold', key: newKey() });
    await ok(bob.socket, 'student:propose', { rate: 0.1, key: newKey() });
    const cyProposal = pool().items[1]!.id;
    await ok(cy.socket, 'student:withdraw', { proposalId: cyProposal });
    await waitUntil(() => bob.mirror.seq === state().seq);

    const seen = bob.mirror.received.filter((e: SessionEvent) => e.seq > from);
    expect(seen.map((e) => e.type)).toEqual([
      'proposal-added',
      'proposal-supported',
      'proposal-withdrawn',
    ]);
    const text = JSON.stringify(seen) + JSON.stringify(bob.mirror.state!.participation);
    expect(text).not.toContain(cy.participantId);
    expect(text).not.toContain(bob.participantId);
    expect(text).not.toContain('Student 3');
    expect(bob.mirror.state).toEqual(state());

    // Names back on: new proposals show their proposer; anonymous ones stay anonymous.
    await ok(host.socket, 'host:participation', { showNames: true });
    clock.advance(5_000);
    await ok(cy.socket, 'student:propose', { rate: 0.3, key: newKey() });
    expect(pool().items.map((p) => p.by)).toEqual([[], [cy.participantId]]);
  });

  test('a kicked student takes their proposals and support with them', async () => {
    const { proposalId } = await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    await ok(bob.socket, 'student:propose', { rate: 0.1, key: newKey() });
    await ok(cy.socket, 'student:propose', { rate: 0.9, key: newKey() });
    await ok(host.socket, 'host:kick', { participantId: cy.participantId });
    await ok(host.socket, 'host:kick', { participantId: ada.participantId });
    await waitUntil(() => pool().items.length === 1 && pool().items[0]!.supporters === 1);
    expect(pool().items).toEqual([
      { id: proposalId, rate: 0.1, note: '', supporters: 1, by: [bob.participantId] },
    ]);
  });
});

describe('the host applies', () => {
  test('one proposal: the rate changes with a hyper-changed event and a rate mark', async () => {
    const { proposalId } = await ok(ada.socket, 'student:propose', { rate: 0.3, key: newKey() });
    const applied = await ok(host.socket, 'host:apply-rate', { proposalId });
    expect(applied.learningRate).toBe(0.3);
    await waitUntil(() => bob.mirror.seq === state().seq);
    const types = bob.mirror.received.slice(-2).map((e) => e.type);
    expect(types).toEqual(['proposal-applied', 'hyper-changed']);
    expect(bob.mirror.state!.hyper.learningRate).toBe(0.3);
    expect(bob.mirror.state!.rateMarks.at(-1)).toEqual({ step: 0, learningRate: 0.3 });
    expect(pool().lastApplied).toEqual({ how: 'proposal', proposalId, rate: 0.3, step: 0 });
    expect(await emitAck(host.socket, 'host:apply-rate', { proposalId: 'p999' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  test('the median, each supporter counting once, the lower middle for an even count', async () => {
    expect(await emitAck(host.socket, 'host:apply-median', {})).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    await ok(ada.socket, 'student:propose', { rate: 0.01, key: newKey() });
    await ok(bob.socket, 'student:propose', { rate: 1, key: newKey() });
    await ok(cy.socket, 'student:propose', { rate: 1, key: newKey() });
    // [0.01, 1, 1]: the median is 1.
    expect((await ok(host.socket, 'host:apply-median', {})).learningRate).toBe(1);
    clock.advance(5_000);
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    // [0.01, 0.1, 1, 1]: the lower middle, 0.1.
    expect((await ok(host.socket, 'host:apply-median', {})).learningRate).toBe(0.1);
    expect(state().hyper.learningRate).toBe(0.1);
    expect(pool().lastApplied).toMatchObject({ how: 'median', proposalId: null, rate: 0.1 });
  });

  test('clearing empties the pool; closed proposals refuse new ones', async () => {
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    await ok(host.socket, 'host:proposals', { open: true, clear: true });
    expect(pool()).toMatchObject({ open: true, items: [] });
    // Cleared support frees the student's places.
    clock.advance(5_000);
    await ok(ada.socket, 'student:propose', { rate: 0.1, key: newKey() });
    expect(pool().items).toHaveLength(1);
  });
});
