/** Recorded sessions for tests, made by SimulatedRoom with the real kernel. */
import { createRng } from '../../../src/nn';
import type { SessionEvent, SessionState } from '../../../src/session';
import { SimulatedRoom, SteppingClock } from './simulatedRoom';

export interface Session {
  initial: SessionState;
  events: SessionEvent[];
  final: SessionState;
}

const START = Date.UTC(2025, 0, 15, 9, 0, 0);

function done(room: SimulatedRoom): Session {
  return { initial: room.initial, events: room.events, final: room.state };
}

/**
 * A short lesson that produces every kind of event at least once (the round-trip test
 * checks that), including a divergence of real unnormalized house prices.
 */
export function classSession(seed = 1): Session {
  const rng = createRng(seed);
  const room = new SimulatedRoom(new SteppingClock(START, rng), {
    datasetId: 'xor',
    hidden: [3],
    activations: ['tanh', 'sigmoid'],
    seed,
  });
  const ada = room.join('Ada');
  const bob = room.join('Bob 🚀');
  const chloe = room.join('Chloé');
  room.record({ type: 'title-set', title: 'Backprop, week 3' });
  room.step();
  room.stagedStep();
  participation(room, [ada, bob, chloe]);
  room.hyper({ learningRate: 1 });
  room.record({ type: 'play-changed', playing: true });
  room.play(20);
  room.play(20);
  room.frame(20);
  room.settle();
  room.record({ type: 'play-changed', playing: false });
  room.record({ type: 'marker', label: 'Now watch the hidden layer' });
  room.record({
    type: 'class-view-set',
    classView: { focus: { kind: 'weight', layer: 0, to: 1, from: 0 }, cards: false },
  });
  room.record({ type: 'class-view-set', classView: { focus: null, cards: false } });
  room.record({ type: 'participant-connection', id: bob, connected: false });
  room.record({ type: 'participant-connection', id: bob, connected: true });
  room.record({ type: 'host-connection', connected: false });
  room.record({ type: 'host-connection', connected: true });
  room.editWeight(0, 1, 0, 0.25);
  room.reset();
  room.hyper({ batchSize: 4 });
  room.record({ type: 'locked', locked: true });
  room.record({ type: 'participant-kicked', id: ada });
  room.setup(
    { datasetId: 'houses', hidden: [4], activations: ['tanh', 'linear'], seed },
    { learningRate: 0.1, batchSize: 16, speed: 10 },
  );
  room.play(5);
  room.step();
  room.record({ type: 'ended' });
  return done(room);
}

/**
 * One of each participation event, in an order the participation reducer accepts (ids
 * are "p"/"v"/"q"/"r" + the seq that creates them, as the server makes them). The values
 * are plausible rather than computed by a server: the point is the shapes.
 */
function participation(room: SimulatedRoom, [ada, bob, chloe]: string[]): void {
  const nextId = (prefix: string) => `${prefix}${room.state.seq + 1}`;
  const later = (ms: number) => room.events.at(-1)!.t + ms;
  room.record({ type: 'participation-set', showNames: true });
  room.record({ type: 'proposals-set', open: true, cleared: false });
  const slow = nextId('p');
  room.record({
    type: 'proposal-added',
    proposal: { id: slow, rate: 0.3, note: 'smaller steps?', supporters: 1, by: [ada!] },
  });
  const fast = nextId('p');
  room.record({
    type: 'proposal-added',
    proposal: { id: fast, rate: 2, note: '', supporters: 1, by: [bob!] },
  });
  room.record({ type: 'proposal-supported', proposalId: slow, by: chloe! });
  room.record({ type: 'proposal-withdrawn', proposalId: slow, by: chloe! });
  room.record({ type: 'proposal-applied', how: 'median', proposalId: null, rate: 1.15 });
  room.hyper({ learningRate: 1.15 });
  const vote = nextId('v');
  room.record({
    type: 'vote-opened',
    voteId: vote,
    options: [
      { proposalId: slow, rate: 0.3, note: 'smaller steps?' },
      { proposalId: fast, rate: 2, note: '' },
    ],
    hideTallies: true,
  });
  room.record({ type: 'vote-cast', voteId: vote, votes: 1, tallies: null });
  room.record({ type: 'vote-closed', voteId: vote, votes: 2, tallies: [2, 0], winner: slow });
  room.hyper({ learningRate: 0.3 });
  room.record({
    type: 'class-steps-set',
    enabled: true,
    granularity: 'sample',
    quorum: { kind: 'percent', value: 50 },
  });
  room.record({ type: 'class-ready', id: ada!, ready: true });
  room.record({ type: 'class-stepped', granularity: 'sample', ready: 1, needed: 1, forced: false });
  room.step();
  const quiz = nextId('q');
  const question = { kind: 'direction', layer: 0, to: 1, from: 0 } as const;
  room.record({
    type: 'quiz-opened',
    quizId: quiz,
    question,
    step: room.state.step + 1,
    closesAt: later(30_000),
  });
  room.record({ type: 'quiz-answered', quizId: quiz, answers: 2 });
  room.record({ type: 'quiz-locked', quizId: quiz });
  const before = room.state.network.weights[0]![1]![0]!;
  room.step();
  const after = room.state.network.weights[0]![1]![0]!;
  const truth = after > before ? 'up' : after < before ? 'down' : 'same';
  room.record({
    type: 'quiz-revealed',
    quizId: quiz,
    reveal: {
      truth: { kind: 'direction', value: truth },
      distribution: [
        { answer: { kind: 'direction', value: truth }, count: 1 },
        { answer: { kind: 'direction', value: truth === 'up' ? 'down' : 'up' }, count: 1 },
      ],
      correctIds: [ada!],
      weight: { layer: 0, to: 1, from: 0, before, after },
      loss: null,
    },
  });
  const cancelled = nextId('q');
  room.record({
    type: 'quiz-opened',
    quizId: cancelled,
    question: { kind: 'loss' },
    step: room.state.step + 1,
    closesAt: later(10_000),
  });
  room.record({ type: 'quiz-cancelled', quizId: cancelled });
  room.record({ type: 'leaderboard-set', visible: true });
  const race = nextId('r');
  const from = room.state.step;
  room.record({
    type: 'race-started',
    raceId: race,
    rates: [0.1, 3],
    steps: 2,
    batchSize: 2,
    fromStep: from,
  });
  const points = (train: number) => [
    { step: from + 1, train, test: null },
    { step: from + 2, train: train * 0.9, test: null },
  ];
  room.record({
    type: 'race-progress',
    raceId: race,
    forks: [
      { stepsDone: 2, loss: points(0.2), diverged: null },
      { stepsDone: 2, loss: points(0.4), diverged: null },
    ],
  });
  room.record({ type: 'race-ended', raceId: race, status: 'finished' });
  const { network, fit } = room.state;
  room.record({
    type: 'network-set',
    network,
    fit,
    source: { kind: 'race', raceId: race, fork: 0 },
  });
}

/**
 * A seeded random lesson of about `length` events: mostly training, with joins, rate
 * changes, resets, staged steps and the occasional divergence.
 */
export function randomSession(seed: number, length: number): Session {
  const rng = createRng(seed);
  const room = new SimulatedRoom(new SteppingClock(START, rng), {
    datasetId: 'xor',
    hidden: [3],
    activations: ['tanh', 'sigmoid'],
    seed,
  });
  let joined = 0;
  while (room.events.length < length) {
    const roll = rng();
    if (roll < 0.1) room.join(`Student ${++joined}`);
    else if (roll < 0.15) room.hyper({ learningRate: [0.1, 0.5, 1, 3][Math.floor(rng() * 4)]! });
    else if (roll < 0.18) room.reset();
    else if (roll < 0.22) room.stagedStep();
    else if (roll < 0.5) room.step();
    else room.play(1 + Math.floor(rng() * 10));
  }
  return done(room);
}
