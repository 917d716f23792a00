/**
 * The participation share of the reducer: pure (frozen inputs are never touched), the
 * same state whatever the path, and the rules that tie participation to the core events
 * (who leaves is not ready, a quiz whose step happens is cancelled, a reset ends a race).
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/nn';
import {
  applyEvent,
  classStepsStatus,
  MAX_RACE_POINTS,
  type SessionEvent,
  type SessionEventBody,
  type SessionState,
} from '../../../src/session';
import { SimulatedRoom, SteppingClock } from '../../recording/helpers/simulatedRoom';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A room with three students; `apply` records bodies through the reducer on frozen states. */
function room() {
  const sim = new SimulatedRoom(new SteppingClock(1_000, createRng(3)), {
    datasetId: 'xor',
    hidden: [2],
    activations: ['tanh', 'sigmoid'],
    seed: 1,
  });
  const ids = ['Ada', 'Bob', 'Cy'].map((name) => sim.join(name));
  let state = deepFreeze(sim.state);
  let seq = state.seq;
  const apply = (...bodies: SessionEventBody[]): SessionState => {
    for (const body of bodies) {
      const event = { ...body, seq: ++seq, t: 2_000 + seq } as SessionEvent;
      state = deepFreeze(applyEvent(state, deepFreeze(event)));
    }
    return state;
  };
  return {
    ids,
    apply,
    get state() {
      return state;
    },
  };
}

describe('proposals', () => {
  test('added, supported, withdrawn; names taken back when hidden', () => {
    const r = room();
    const [ada, bob] = r.ids as [string, string];
    let s = r.apply(
      { type: 'proposals-set', open: true, cleared: false },
      {
        type: 'proposal-added',
        proposal: { id: 'p5', rate: 0.1, note: '', supporters: 1, by: [ada] },
      },
      { type: 'proposal-supported', proposalId: 'p5', by: bob },
      { type: 'proposal-supported', proposalId: 'p5', by: null },
    );
    expect(s.participation.proposals.items).toEqual([
      { id: 'p5', rate: 0.1, note: '', supporters: 3, by: [ada, bob] },
    ]);
    s = r.apply({ type: 'participation-set', showNames: false });
    expect(s.participation.proposals.items[0]!.by).toEqual([]);
    s = r.apply(
      { type: 'proposal-withdrawn', proposalId: 'p5', by: null },
      { type: 'proposal-withdrawn', proposalId: 'p5', by: null },
    );
    expect(s.participation.proposals.items[0]!.supporters).toBe(1);
    s = r.apply({ type: 'proposal-withdrawn', proposalId: 'p5', by: null });
    expect(s.participation.proposals.items).toEqual([]);
  });
});

describe('votes', () => {
  test('hidden tallies stay null until the close; a new round replaces the old one', () => {
    const r = room();
    const options = [
      { proposalId: 'p1', rate: 0.1, note: '' },
      { proposalId: 'p2', rate: 1, note: '' },
    ];
    let s = r.apply(
      { type: 'vote-opened', voteId: 'v9', options, hideTallies: true },
      { type: 'vote-cast', voteId: 'v9', votes: 2, tallies: null },
    );
    expect(s.participation.vote).toMatchObject({ status: 'open', votes: 2, tallies: null });
    s = r.apply(
      { type: 'vote-opened', voteId: 'v11', options, hideTallies: false },
      // A late event of the replaced round changes nothing.
      { type: 'vote-cast', voteId: 'v9', votes: 5, tallies: null },
    );
    expect(s.participation.vote).toMatchObject({ id: 'v11', votes: 0, tallies: [0, 0] });
    s = r.apply({ type: 'vote-closed', voteId: 'v11', votes: 3, tallies: [1, 2], winner: 'p2' });
    expect(s.participation.vote).toMatchObject({ status: 'closed', tallies: [1, 2], winner: 'p2' });
    expect(s.participation.proposals.lastApplied).toEqual({
      how: 'vote',
      proposalId: 'p2',
      rate: 1,
      step: 0,
    });
  });
});

describe('stepping together', () => {
  test('readiness: pressed, dropped on disconnect and kick, cleared by a class step', () => {
    const r = room();
    const [ada, bob, cy] = r.ids as [string, string, string];
    let s = r.apply(
      { type: 'class-steps-set', enabled: true, granularity: 'stage', quorum: { kind: 'all' } },
      { type: 'class-ready', id: ada, ready: true },
      { type: 'class-ready', id: bob, ready: true },
      { type: 'class-ready', id: bob, ready: true },
    );
    expect(s.participation.classSteps.readyIds).toEqual([ada, bob]);
    expect(classStepsStatus(s)).toEqual({ ready: 2, connected: 3, needed: 3, reached: false });
    s = r.apply({ type: 'participant-connection', id: cy, connected: false });
    expect(classStepsStatus(s)).toEqual({ ready: 2, connected: 2, needed: 2, reached: true });
    s = r.apply({ type: 'participant-connection', id: ada, connected: false });
    expect(s.participation.classSteps.readyIds).toEqual([bob]);
    s = r.apply({ type: 'participant-kicked', id: bob });
    expect(s.participation.classSteps.readyIds).toEqual([]);
    s = r.apply(
      { type: 'participant-connection', id: ada, connected: true },
      { type: 'class-ready', id: ada, ready: true },
      { type: 'class-stepped', granularity: 'stage', ready: 1, needed: 1, forced: false },
    );
    expect(s.participation.classSteps).toMatchObject({ readyIds: [], rounds: 1 });
  });
});

describe('quizzes', () => {
  const question = { kind: 'loss' } as const;

  test('a completed step cancels an open quiz but not a locked one; points add up', () => {
    const r = room();
    const [ada] = r.ids as [string];
    let s = r.apply({ type: 'quiz-opened', quizId: 'q4', question, step: 1, closesAt: 9_000 });
    expect(s.participation.quiz.current).toMatchObject({
      number: 1,
      status: 'open',
      openedAt: 2_000 + s.seq,
    });
    s = r.apply({
      type: 'progressed',
      progress: { step: 1, epoch: 0, network: s.network, loss: [], fit: s.fit },
    });
    expect(s.participation.quiz.current!.status).toBe('cancelled');

    s = r.apply(
      { type: 'quiz-opened', quizId: 'q7', question, step: 2, closesAt: 9_000 },
      { type: 'quiz-answered', quizId: 'q7', answers: 1 },
      { type: 'quiz-locked', quizId: 'q7' },
      {
        type: 'progressed',
        progress: { step: 2, epoch: 0, network: s.network, loss: [], fit: s.fit },
      },
    );
    expect(s.participation.quiz.current).toMatchObject({ number: 2, status: 'locked', answers: 1 });
    const reveal = {
      truth: { kind: 'loss', value: 0.5 } as const,
      distribution: [{ answer: { kind: 'loss', value: 0.52 } as const, count: 1 }],
      correctIds: [ada],
      weight: null,
      loss: { before: 0.6, after: 0.5 },
    };
    s = r.apply({ type: 'quiz-revealed', quizId: 'q7', reveal });
    expect(s.participation.quiz.scores).toEqual([{ id: ada, points: 1 }]);
    s = r.apply(
      { type: 'quiz-opened', quizId: 'q9', question, step: 3, closesAt: 9_000 },
      { type: 'quiz-locked', quizId: 'q9' },
      { type: 'quiz-revealed', quizId: 'q9', reveal },
    );
    expect(s.participation.quiz.scores).toEqual([{ id: ada, points: 2 }]);
    s = r.apply({ type: 'participant-kicked', id: ada });
    expect(s.participation.quiz.scores).toEqual([]);
  });
});

describe('races', () => {
  test('progress appends thinned points; a reset ends the race; network-set sets the weights', () => {
    const r = room();
    r.apply({
      type: 'race-started',
      raceId: 'r3',
      rates: [0.1, 10],
      steps: 5000,
      batchSize: 4,
      fromStep: 0,
    });
    const points = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => ({
        step: from + k + 1,
        train: 1 / (from + k + 1),
        test: null,
      }));
    const divergence = { step: 3, learningRate: 10, reason: 'the loss exploded' };
    let s = r.apply(
      {
        type: 'race-progress',
        raceId: 'r3',
        forks: [
          { stepsDone: 1500, loss: points(0, 1500), diverged: null },
          { stepsDone: 2, loss: points(0, 2), diverged: divergence },
        ],
      },
      {
        type: 'race-progress',
        raceId: 'r3',
        forks: [
          { stepsDone: 5000, loss: points(1500, 3500), diverged: null },
          { stepsDone: 2, loss: [], diverged: divergence },
        ],
      },
      { type: 'race-ended', raceId: 'r3', status: 'finished' },
    );
    const [calm, wild] = s.participation.race!.forks;
    expect(calm!.stepsDone).toBe(5000);
    expect(calm!.loss.length).toBeLessThanOrEqual(MAX_RACE_POINTS);
    expect(calm!.loss.at(-1)!.step).toBe(5000);
    expect(wild).toMatchObject({ stepsDone: 2, diverged: divergence });
    expect(s.participation.race!.status).toBe('finished');

    const network = { ...s.network, biases: s.network.biases.map((b) => b.map(() => 0.5)) };
    s = r.apply({
      type: 'network-set',
      network,
      fit: null,
      source: { kind: 'race', raceId: 'r3', fork: 0 },
    });
    expect(s.network).toEqual(network);
    s = r.apply({ type: 'reset', network: s.network, fit: null });
    expect(s.participation.race).toBeNull();
  });
});
