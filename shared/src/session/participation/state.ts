/**
 * The public participation state (SessionState.participation): proposals, the vote,
 * stepping together, quizzes and races. Everyone sees the same state, live and in
 * replays, so nothing here may be secret: ballots and answers before their reveal are not
 * in it, and proposers are listed by id only while the host shows names.
 */
import type { Divergence, LossPoint } from '../state';

export type Granularity = 'stage' | 'sample' | 'batch' | 'epoch';

export interface ParticipationState {
  /**
   * Whether new proposals publish who made them (their participant ids; names come from
   * `participants`). Turning it off also drops the ids already published from the state.
   */
  showNames: boolean;
  proposals: ProposalPool;
  /** The current (or last) vote round; null before the first. */
  vote: VoteRound | null;
  classSteps: ClassSteps;
  quiz: QuizBoard;
  /** The current (or last) race; null before the first and after a reset or new setup. */
  race: Race | null;
}

export interface ProposalPool {
  /** Students may propose while open. */
  open: boolean;
  items: Proposal[];
  /** The last rate the host took from the pool (a proposal, the median or a vote). */
  lastApplied: AppliedRate | null;
}

export interface Proposal {
  /** "p" + the seq of the event that added it. */
  id: string;
  rate: number;
  /** Cleaned like a display name; '' when none. The first proposer's note is kept. */
  note: string;
  /** Students supporting it: the proposer and everyone who proposed the same rate. */
  supporters: number;
  /** Ids of the supporters who proposed while names were shown (a subset, maybe empty). */
  by: string[];
}

export interface AppliedRate {
  how: 'proposal' | 'median' | 'vote';
  /** The proposal applied (the vote's winner); null for the median. */
  proposalId: string | null;
  rate: number;
  /** The session's step when it was applied. */
  step: number;
}

export interface VoteOption {
  proposalId: string;
  rate: number;
  note: string;
}

export interface VoteRound {
  /** "v" + the seq of the event that opened it. A vote names it, so a stale one is refused. */
  id: string;
  options: VoteOption[];
  hideTallies: boolean;
  status: 'open' | 'closed';
  /** Ballots cast so far (one per student; a changed ballot still counts once). */
  votes: number;
  /** Ballots per option, in `options` order; null while the vote is open with hidden tallies. */
  tallies: number[] | null;
  /** After close: the winning option (most votes; a tie goes to the lower rate), null if no votes. */
  winner: string | null;
}

export type Quorum =
  | { kind: 'majority' }
  | { kind: 'all' }
  | { kind: 'percent'; value: number }
  | { kind: 'count'; value: number };

export interface ClassSteps {
  enabled: boolean;
  granularity: Granularity;
  quorum: Quorum;
  /** Connected students who pressed "ready" since the last class step. */
  readyIds: string[];
  /** Class steps taken (by quorum or forced) since the session began. */
  rounds: number;
}

export type QuizQuestion =
  | { kind: 'direction'; layer: number; to: number; from: number }
  | { kind: 'largest'; layer: number }
  | { kind: 'loss' };

export type QuizAnswer =
  | { kind: 'direction'; value: 'up' | 'down' | 'same' }
  | { kind: 'largest'; to: number; from: number }
  | { kind: 'loss'; value: number };

export interface QuizBoard {
  /** The current (or last) quiz; null before the first. */
  current: Quiz | null;
  /** Quizzes opened so far (numbers them). */
  count: number;
  /** Points per student (one per correct answer), in order of first point. */
  scores: { id: string; points: number }[];
  leaderboardVisible: boolean;
}

export interface Quiz {
  /** "q" + the seq of the event that opened it. */
  id: string;
  /** 1, 2, 3, … in this session. */
  number: number;
  question: QuizQuestion;
  /** The step the question is about: the session's step count after that step's update. */
  step: number;
  /** Server time (ms) of the opening, and the end of answering. */
  openedAt: number;
  closesAt: number;
  /**
   * open: answers accepted until closesAt; locked: the reveal has begun (its step runs);
   * revealed; cancelled: the step it was about happened without a reveal, or the host
   * cancelled it, or the network changed underneath it.
   */
  status: 'open' | 'locked' | 'revealed' | 'cancelled';
  /** Students who answered (the answers themselves are secret until the reveal). */
  answers: number;
  reveal: QuizReveal | null;
}

export interface QuizReveal {
  /** What the step did; null when the step was refused (diverged): nobody scores then. */
  truth: QuizAnswer | null;
  /** Every distinct answer given, with how many gave it. */
  distribution: { answer: QuizAnswer; count: number }[];
  /** Students whose answer was right (one point each). */
  correctIds: string[];
  /** The weight concerned (direction, largest), for the chain-rule inspector. */
  weight: { layer: number; to: number; from: number; before: number; after: number } | null;
  /** The batch loss before the update and on the same batch after it (loss questions). */
  loss: { before: number; after: number } | null;
}

export interface Race {
  /** "r" + the seq of the event that started it. */
  id: string;
  status: 'running' | 'finished' | 'cancelled';
  /** Steps each fork trains. */
  steps: number;
  batchSize: number;
  /** The session's step when the race forked: fork loss points count on from it. */
  fromStep: number;
  forks: RaceFork[];
}

export interface RaceFork {
  rate: number;
  stepsDone: number;
  /**
   * The batch loss of every ⌈steps / MAX_RACE_POINTS⌉-th step, the last one and the last
   * good one before a divergence (the server sends no more); `test` is null.
   */
  loss: LossPoint[];
  /** The step this fork was stopped at (never a NaN on the way). */
  diverged: Divergence | null;
}

/** Loss points per race fork: the server sends about this many, the reducer keeps at most this many. */
export const MAX_RACE_POINTS = 1000;

/**
 * A fork of a race of `steps` steps keeps the loss of every n-th step (and its last): at
 * most MAX_RACE_POINTS points travel per fork. The race and its re-simulation both use it.
 */
export function racePointEvery(steps: number): number {
  return Math.ceil(steps / MAX_RACE_POINTS);
}

export function initialParticipationState(): ParticipationState {
  return {
    showNames: true,
    proposals: { open: false, items: [], lastApplied: null },
    vote: null,
    classSteps: {
      enabled: false,
      granularity: 'stage',
      quorum: { kind: 'majority' },
      readyIds: [],
      rounds: 0,
    },
    quiz: { current: null, count: 0, scores: [], leaderboardVisible: false },
    race: null,
  };
}
