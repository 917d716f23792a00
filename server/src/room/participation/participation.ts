/**
 * A room's private participation bookkeeping: what the public state must not show (who
 * supports which proposal in anonymous mode, who voted for what, the answers before the
 * reveal) and what only the server needs (idempotency keys, proposal times, the race in
 * progress). The public side lives in SessionState.participation and changes only through
 * recorded events; the command modules next to this file keep both in step.
 *
 * This bookkeeping is in memory: a restored room (after a server restart) has its public
 * participation state from the events, but not these private maps. What a recorded event
 * sets off (a quorum check, a removed student's withdrawals) is in reactions.ts.
 */
import type { Logger } from 'pino';
import { PARTICIPATION_LIMITS } from '@backprop/shared/protocol';
import type { Clock } from '../../clock';
import { IdempotencyLedger } from './idempotency';
import type { QuizResultRow } from './quiz-results';
import type { Answer } from './quiz-truth';
import type { RaceRunner } from './race-runner';
import { StudentLane, type EnterGroup } from './student-lane';

/** Quizzes whose answers the CSV export keeps (the oldest go first). */
const MAX_QUIZ_HISTORY = 200;

export class Participation {
  readonly keys = new IdempotencyLedger(PARTICIPATION_LIMITS.rememberedKeys);
  /** Student commands enter the room's queue through here, in groups (student-lane.ts). */
  readonly studentLane: StudentLane;
  /** proposalId → ids of its supporters (public only while names are shown). */
  readonly supporters = new Map<string, Set<string>>();
  /** When each student last proposed (server clock, ms): one proposal per 5 s. */
  readonly lastProposalAt = new Map<string, number>();
  /** The ballots of vote `voteId`: student → proposalId. Secret until (and after) the close. */
  ballots = { voteId: '', byStudent: new Map<string, string>() };
  /** The answers to quiz `quizId`, secret until its reveal. */
  answers = { quizId: '', byStudent: new Map<string, Answer>() };
  /** Revealed quizzes' answers, for the host's CSV export. */
  readonly quizResults: QuizResultRow[][] = [];
  /** The race in progress or the last one (its forks' final weights can be adopted). */
  race: RaceRunner | null = null;

  /** `enter`: how a group of student commands enters the room's queue (Room.runGroup). */
  constructor(
    enter: EnterGroup,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {
    this.studentLane = new StudentLane(enter);
  }

  /** Proposals this student supports now. */
  openProposalsOf(participantId: string): number {
    let count = 0;
    for (const ids of this.supporters.values()) if (ids.has(participantId)) count++;
    return count;
  }

  keepQuizResults(rows: QuizResultRow[]): void {
    this.quizResults.push(rows);
    if (this.quizResults.length > MAX_QUIZ_HISTORY) this.quizResults.shift();
  }

  /** Stops the race, if one runs (the room is going away). */
  dispose(): void {
    this.race?.stop();
  }
}
