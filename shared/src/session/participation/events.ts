/**
 * The participation events, part of SessionEventBody (session/events.ts). Each carries
 * only what is public when it happens: proposers' ids only while names are shown, vote
 * tallies only when not hidden, answers only at the reveal, never who voted for what.
 */
import type { Divergence, FitView, LossPoint, NetworkValues } from '../state';
import type { Granularity, Proposal, QuizQuestion, QuizReveal, Quorum, VoteOption } from './state';

export type ParticipationEventBody =
  | { type: 'participation-set'; showNames: boolean }
  /** Students may (not) propose; `cleared` empties the pool first. */
  | { type: 'proposals-set'; open: boolean; cleared: boolean }
  | { type: 'proposal-added'; proposal: Proposal }
  /** A student proposed a rate already in the pool: one more supporter. */
  | { type: 'proposal-supported'; proposalId: string; by: string | null }
  /** One supporter fewer (withdrawn, or the student was removed); gone at zero. */
  | { type: 'proposal-withdrawn'; proposalId: string; by: string | null }
  /** The host set the learning rate from the pool; a hyper-changed event follows. */
  | {
      type: 'proposal-applied';
      how: 'proposal' | 'median';
      proposalId: string | null;
      rate: number;
    }
  /** A new vote round; an open one it replaces ends without a result. */
  | {
      type: 'vote-opened';
      voteId: string;
      options: VoteOption[];
      hideTallies: boolean;
    }
  /** The public count after a ballot; `tallies` null while hidden. */
  | { type: 'vote-cast'; voteId: string; votes: number; tallies: number[] | null }
  /** Tallies revealed; the winner's rate is applied by a hyper-changed event that follows. */
  | {
      type: 'vote-closed';
      voteId: string;
      votes: number;
      tallies: number[];
      winner: string | null;
    }
  | { type: 'class-steps-set'; enabled: boolean; granularity: Granularity; quorum: Quorum }
  | { type: 'class-ready'; id: string; ready: boolean }
  /**
   * The class steps: readiness is cleared, then the step's own events follow (exactly those
   * of a host:step with this granularity).
   */
  | {
      type: 'class-stepped';
      granularity: Granularity;
      ready: number;
      needed: number;
      forced: boolean;
    }
  | {
      type: 'quiz-opened';
      quizId: string;
      question: QuizQuestion;
      step: number;
      closesAt: number;
    }
  | { type: 'quiz-answered'; quizId: string; answers: number }
  /** Answers are final; the step the quiz is about runs next (its own events). */
  | { type: 'quiz-locked'; quizId: string }
  | { type: 'quiz-revealed'; quizId: string; reveal: QuizReveal }
  | { type: 'quiz-cancelled'; quizId: string }
  | { type: 'leaderboard-set'; visible: boolean }
  | {
      type: 'race-started';
      raceId: string;
      rates: number[];
      steps: number;
      batchSize: number;
      fromStep: number;
    }
  /** New loss points of each fork (in fork order) since the last progress event. */
  | { type: 'race-progress'; raceId: string; forks: RaceForkProgress[] }
  | { type: 'race-ended'; raceId: string; status: 'finished' | 'cancelled' }
  /** The network replaced as a whole (a race fork's weights adopted). */
  | {
      type: 'network-set';
      network: NetworkValues;
      fit: FitView | null;
      source: { kind: 'race'; raceId: string; fork: number };
    };

export interface RaceForkProgress {
  stepsDone: number;
  loss: LossPoint[];
  diverged: Divergence | null;
}

export type ParticipationEventType = ParticipationEventBody['type'];

const TYPES: Record<ParticipationEventType, true> = {
  'participation-set': true,
  'proposals-set': true,
  'proposal-added': true,
  'proposal-supported': true,
  'proposal-withdrawn': true,
  'proposal-applied': true,
  'vote-opened': true,
  'vote-cast': true,
  'vote-closed': true,
  'class-steps-set': true,
  'class-ready': true,
  'class-stepped': true,
  'quiz-opened': true,
  'quiz-answered': true,
  'quiz-locked': true,
  'quiz-revealed': true,
  'quiz-cancelled': true,
  'leaderboard-set': true,
  'race-started': true,
  'race-progress': true,
  'race-ended': true,
  'network-set': true,
};

export function isParticipationEvent<E extends { type: string }>(
  event: E,
): event is Extract<E, ParticipationEventBody> {
  return Object.hasOwn(TYPES, event.type);
}
