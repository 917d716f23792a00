/**
 * Predict, then reveal, through the real server: answers secret and changeable until the
 * reveal, locked by it, scored against the kernel's real outcome of the step (checked here
 * with the kernel alone, from the step's own batch and weights), the leaderboard, the
 * time limit, and the host's CSV export.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { networkFromArrays, Trainer } from '@backprop/shared/nn';
import type { QuizAnswer, SessionEvent, SessionState, TraceView } from '@backprop/shared/session';
import { joinClass, newKey, TestClock } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, type Host, type Student } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let clock: TestClock;
let host: Host;
let students: Student[];

beforeEach(async () => {
  clock = new TestClock();
  server = await startServer({ clock });
  host = await createSession(server);
  students = await joinClass(server, host.code, 4);
});
afterEach(async () => {
  await server.close();
});

const state = () => serverState(server, host.code);
const quiz = () => state().participation.quiz.current!;

function answer(student: Student, quizId: string, given: QuizAnswer, key = newKey()) {
  return emitAck(student.socket, 'student:answer', { quizId, answer: given, key });
}

/** The kernel alone, stepping from the trace's weights on the trace's batch. */
function kernelStep(s: SessionState, view: TraceView) {
  const { layers, activations, trainBiases } = s.setup;
  const net = networkFromArrays(
    { layers, activations, trainBiases },
    view.weightsBefore,
    view.biasesBefore,
  );
  const trainer = new Trainer(net, view.batchSize);
  const inputs = view.batchInputs.flat();
  const targets = view.batchTargets.flat();
  expect(trainer.step(inputs, targets, view.batchSize, view.learningRate).ok).toBe(true);
  const cols = (l: number) => layers[l]!;
  return {
    weight: (l: number, to: number, from: number) => ({
      before: view.weightsBefore[l]![to]![from]!,
      after: trainer.network.weights[l]![to * cols(l) + from]!,
    }),
    lossBefore: trainer.trace.loss,
    lossAfter: trainer.evaluateLoss(inputs, targets, view.batchSize),
    /** Matrix l's (to, from) with the largest |Δw| (first in storage order on a tie). */
    largest: (l: number) => {
      const before = trainer.trace.weightsBefore[l]!;
      const after = trainer.network.weights[l]!;
      let best = 0;
      for (let k = 0; k < before.length; k++) {
        if (Math.abs(after[k]! - before[k]!) > Math.abs(after[best]! - before[best]!)) best = k;
      }
      return { to: Math.floor(best / cols(l)), from: best % cols(l) };
    },
  };
}

function lastOf<T extends SessionEvent['type']>(events: SessionEvent[], type: T) {
  return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type).at(-1)!;
}

describe('direction, about the next whole step', () => {
  test('answers stay secret, are locked by the reveal and scored against the real step', async () => {
    const [a, b, c, d] = students as [Student, Student, Student, Student];
    const { quizId } = await ok(host.socket, 'host:quiz-open', {
      kind: 'direction',
      layer: 1,
      to: 0,
      from: 0,
      timeLimitSeconds: 30,
    });
    expect(quiz()).toMatchObject({ id: quizId, number: 1, status: 'open', step: 1, answers: 0 });
    expect(quiz().closesAt - quiz().openedAt).toBe(30_000);

    const from = state().seq;
    const aKey = newKey();
    const aReply = await answer(a, quizId, { kind: 'direction', value: 'up' }, aKey);
    await answer(b, quizId, { kind: 'direction', value: 'down' });
    await answer(c, quizId, { kind: 'direction', value: 'up' });
    // c changes their mind: no event (the count is the same), the answer is replaced.
    const seq = state().seq;
    await answer(c, quizId, { kind: 'direction', value: 'down' });
    expect(state().seq).toBe(seq);
    // The wrong kind of answer, or no such quiz.
    expect(await answer(d, quizId, { kind: 'loss', value: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await answer(d, 'q999', { kind: 'direction', value: 'up' })).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    await waitUntil(() => d.mirror.seq === state().seq);
    const secret = d.mirror.received.filter((e) => e.seq > from);
    expect(secret.map((e) => e.type)).toEqual(['quiz-answered', 'quiz-answered', 'quiz-answered']);
    expect(JSON.stringify(secret)).not.toMatch(/"(up|down)"/);
    expect(d.mirror.state!.participation.quiz.current!.answers).toBe(3);

    await ok(host.socket, 'host:quiz-reveal', {});
    await waitUntil(() => d.mirror.seq === state().seq);
    const after = d.mirror.received.filter((e) => e.seq > from + 3).map((e) => e.type);
    expect(after).toEqual(['quiz-locked', 'stepped', 'quiz-revealed']);

    // The truth, from the kernel alone on the step's own batch and weights.
    const stepped = lastOf(d.mirror.received, 'stepped');
    const kernel = kernelStep(state(), stepped.trace);
    const { before, after: w } = kernel.weight(1, 0, 0);
    const truth = w > before ? 'up' : w < before ? 'down' : 'same';
    const reveal = quiz().reveal!;
    expect(quiz().status).toBe('revealed');
    expect(reveal.truth).toEqual({ kind: 'direction', value: truth });
    expect(reveal.weight).toEqual({ layer: 1, to: 0, from: 0, before, after: w });
    expect(reveal.weight!.after).toBe(stepped.trace.weightsAfter![1]![0]![0]);
    const right = [a, b, c].filter((s) => (s === a ? 'up' : 'down') === truth);
    expect([...reveal.correctIds].sort()).toEqual(right.map((s) => s.participantId).sort());
    expect(reveal.distribution).toEqual([
      { answer: { kind: 'direction', value: 'up' }, count: 1 },
      { answer: { kind: 'direction', value: 'down' }, count: 2 },
    ]);
    expect(state().participation.quiz.scores).toEqual(
      right.map((s) => ({ id: s.participantId, points: 1 })),
    );
    expect(d.mirror.state).toEqual(state());

    // Locked: late answers are refused; a resend of an earlier answer gets its old ack.
    expect(await answer(d, quizId, { kind: 'direction', value: 'up' })).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    expect(await answer(a, quizId, { kind: 'direction', value: 'up' }, aKey)).toEqual(aReply);
    expect(await emitAck(host.socket, 'host:quiz-reveal', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
  });
});

describe('loss, inside a staged step', () => {
  test('opens only before backward or update; scored within 10 % of the kernel’s loss', async () => {
    const [a, b, c] = students as [Student, Student, Student];
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    // The step is open, its next stage is the first forward pass: too early to ask.
    expect(
      await emitAck(host.socket, 'host:quiz-open', { kind: 'loss', timeLimitSeconds: 60 }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const layers = state().setup.layers.length - 1;
    for (let k = 0; k <= layers; k++) await ok(host.socket, 'host:step', { granularity: 'stage' });
    expect(state().lastStage).toEqual({ kind: 'error' });

    const opened = lastOf(host.mirror.received, 'staged-step-opened');
    const expected = kernelStep(state(), opened.trace);
    const { quizId } = await ok(host.socket, 'host:quiz-open', {
      kind: 'loss',
      timeLimitSeconds: 60,
    });
    await answer(a, quizId, { kind: 'loss', value: expected.lossAfter * 1.05 });
    await answer(b, quizId, { kind: 'loss', value: expected.lossAfter * 1.2 });
    await answer(c, quizId, { kind: 'loss', value: expected.lossAfter * 0.91 });

    await ok(host.socket, 'host:quiz-reveal', {});
    const reveal = quiz().reveal!;
    expect(reveal.truth).toEqual({ kind: 'loss', value: expected.lossAfter });
    expect(reveal.loss).toEqual({ before: expected.lossBefore, after: expected.lossAfter });
    expect(reveal.loss!.before).toBe(state().trace!.batchLoss);
    expect([...reveal.correctIds].sort()).toEqual([a.participantId, c.participantId].sort());
    // The reveal finished the open step: the rest of its stages ran, in order.
    expect(state()).toMatchObject({ step: 1, stageIndex: 0, lastStage: { kind: 'update' } });
    const types = host.mirror.received.slice(-(layers + 3)).map((e) => e.type);
    expect(types).toEqual(['quiz-locked', ...Array(layers + 1).fill('stage-ran'), 'quiz-revealed']);
  });
});

describe('largest change, and the leaderboard', () => {
  test('the weight with the largest |Δw| is right, another is not; points add up', async () => {
    const [a, b] = students as [Student, Student];
    await ok(host.socket, 'host:leaderboard', { visible: true });
    const matrices = state().setup.layers.length - 1;
    for (let round = 0; round < 2; round++) {
      // Walk the step to its backward pass, so the test knows the truth beforehand.
      await ok(host.socket, 'host:step', { granularity: 'stage' });
      for (let k = 0; k <= matrices; k++)
        await ok(host.socket, 'host:step', { granularity: 'stage' });
      const kernel = kernelStep(state(), lastOf(host.mirror.received, 'staged-step-opened').trace);
      const best = kernel.largest(0);
      const wrong = { to: best.to, from: (best.from + 1) % state().setup.layers[0]! };

      const { quizId } = await ok(host.socket, 'host:quiz-open', {
        kind: 'largest',
        layer: 0,
        timeLimitSeconds: 20,
      });
      // Out of the matrix: refused.
      expect(await answer(a, quizId, { kind: 'largest', to: 60, from: 0 })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      await answer(a, quizId, { kind: 'largest', ...best });
      await answer(b, quizId, { kind: 'largest', ...wrong });
      await ok(host.socket, 'host:quiz-reveal', {});
      const reveal = quiz().reveal!;
      expect(reveal.truth).toEqual({ kind: 'largest', ...best });
      const { before, after } = kernel.weight(0, best.to, best.from);
      expect(reveal.weight).toEqual({ layer: 0, ...best, before, after });
      expect(reveal.correctIds).toEqual([a.participantId]);
    }
    const board = state().participation.quiz;
    expect(board).toMatchObject({ leaderboardVisible: true, count: 2 });
    expect(board.scores).toEqual([{ id: a.participantId, points: 2 }]);
  });
});

describe('time and cancellation', () => {
  test('answers close at the time limit (server clock); the reveal still works', async () => {
    const [a, b] = students as [Student, Student];
    const { quizId } = await ok(host.socket, 'host:quiz-open', {
      kind: 'direction',
      layer: 0,
      to: 0,
      from: 0,
      timeLimitSeconds: 5,
    });
    await answer(a, quizId, { kind: 'direction', value: 'up' });
    clock.advance(5_001);
    expect(await answer(b, quizId, { kind: 'direction', value: 'up' })).toMatchObject({
      ok: false,
      error: { code: 'closed', message: expect.stringContaining('Time') },
    });
    await ok(host.socket, 'host:quiz-reveal', {});
    expect(quiz().reveal!.distribution).toHaveLength(1);
  });

  test('stepping past the quiz cancels it; one quiz at a time; not while playing', async () => {
    const { quizId } = await ok(host.socket, 'host:quiz-open', {
      kind: 'loss',
      timeLimitSeconds: 60,
    });
    expect(
      await emitAck(host.socket, 'host:quiz-open', { kind: 'loss', timeLimitSeconds: 60 }),
    ).toMatchObject({ ok: false, error: { code: 'busy' } });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    expect(quiz().status).toBe('cancelled');
    expect(await answer(students[0]!, quizId, { kind: 'loss', value: 1 })).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    expect(await emitAck(host.socket, 'host:quiz-reveal', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    // The host cancels one explicitly; a weight that names no weight of the network is refused.
    await ok(host.socket, 'host:quiz-open', { kind: 'loss', timeLimitSeconds: 60 });
    await ok(host.socket, 'host:quiz-cancel', {});
    expect(quiz().status).toBe('cancelled');
    expect(
      await emitAck(host.socket, 'host:quiz-open', {
        kind: 'direction',
        layer: 5,
        to: 0,
        from: 0,
        timeLimitSeconds: 60,
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await ok(host.socket, 'host:play', { playing: true });
    expect(
      await emitAck(host.socket, 'host:quiz-open', { kind: 'loss', timeLimitSeconds: 60 }),
    ).toMatchObject({ ok: false, error: { code: 'busy' } });
    await ok(host.socket, 'host:play', { playing: false });
  });
});

describe('CSV export', () => {
  test('the host downloads every answer; formula-looking cells are defused', async () => {
    const [tricky, plain] = await Promise.all([
      joinClass(server, host.code, 1, '=HYPERLINK("x")'),
      joinClass(server, host.code, 1, 'Ann, "the" best'),
    ]);
    const { quizId } = await ok(host.socket, 'host:quiz-open', {
      kind: 'direction',
      layer: 0,
      to: 1,
      from: 0,
      timeLimitSeconds: 30,
    });
    clock.advance(2_500);
    await answer(tricky![0]!, quizId, { kind: 'direction', value: 'up' });
    await answer(plain![0]!, quizId, { kind: 'direction', value: 'down' });
    await ok(host.socket, 'host:quiz-reveal', {});
    const right = new Set(quiz().reveal!.correctIds);

    const url = `${server.url}/api/sessions/${host.code}/quiz-results.csv`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${host.hostToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('name,question,answer,correct,time');
    const question = '"Q1: will weight matrix 1, unit 0 → unit 1, go up or down?"';
    const yes = (s: Student) => (right.has(s.participantId) ? 'yes' : 'no');
    expect(lines.slice(1)).toEqual([
      `"'=HYPERLINK(""x"") 1",${question},up,${yes(tricky![0]!)},2.5`,
      `"Ann, ""the"" best 1",${question},down,${yes(plain![0]!)},2.5`,
    ]);

    expect((await fetch(url)).status).toBe(404);
    const student = await fetch(url, {
      headers: { authorization: `Bearer ${plain![0]!.token}` },
    });
    expect(student.status).toBe(404);
    const nowhere = await fetch(`${server.url}/api/sessions/ZZZZZZ/quiz-results.csv`, {
      headers: { authorization: `Bearer ${host.hostToken}` },
    });
    expect(nowhere.status).toBe(404);
  });
});
