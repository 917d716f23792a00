/**
 * A room's private participation bookkeeping: what the public state must not show (who
 * supports which proposal in anonymous mode, who voted for what, the answers before the
 * reveal) and what only the server needs (idempotency keys, proposal times, the race in
 * progress). The public side lives in SessionState.participation and changes only through
 * recorded events; the command modules next to this file keep both in step.
 *
 * This bookkeeping is in memory: a restored room (after a server restart) has its public
 * participation state from the events, but not these private maps.
 */
import type { Logger } from 'pino';
import { PARTICIPATION_LIMITS } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import type { Clock } from '../../clock';
import type { Room } from '../room';
import { checkQuorum } from './class-steps';
import { IdempotencyLedger } from './idempotency';
import type { QuizResultRow } from './quiz-results';
import type { Answer } from './quiz-truth';
import type { RaceRunner } from './race-runner';
import { removeStudent } from './removal';
import { StudentLane } from './student-lane';
import { RoomStoppedError } from '../room-stopped';

/** Quizzes whose answers the CSV export keeps (the oldest go first). */
const MAX_QUIZ_HISTORY = 200;

export class Participation {
  readonly keys = new IdempotencyLedger(PARTICIPATION_LIMITS.rememberedKeys);
  /** Student commands enter the room's queue through here, in groups (student-lane.ts). */
  readonly studentLane = new StudentLane((tasks) => this.room.runGroup(tasks));
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

  constructor(
    private readonly room: Room,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {}

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

  /**
   * Called with every recorded event. Reactions that record events of their own are queued
   * behind the current task (never recorded from inside record()): a student who leaves
   * may complete the quorum, a removed student's support, ballot and answer are withdrawn.
   */
  observe(event: SessionEvent): void {
    switch (event.type) {
      case 'participant-connection':
        if (!event.connected) this.later('quorum check', () => checkQuorum(this.room));
        break;
      case 'participant-kicked':
        this.later('removing a student', () => {
          removeStudent(this.room, event.id);
          return checkQuorum(this.room);
        });
        break;
      case 'setup-changed':
      case 'reset':
      case 'ended':
        // The race trained copies of a network that is gone (or a session that is over).
        this.race?.stop();
        break;
      default:
        break;
    }
  }

  /** Stops the race, if one runs (the room is going away). */
  dispose(): void {
    this.race?.stop();
  }

  private later(what: string, task: () => unknown): void {
    this.room.run(task).catch((err: unknown) => {
      // The room stopped (its commit failed, logged there): there is nothing more to do.
      if (err instanceof RoomStoppedError) return;
      this.logger.error({ err, code: this.room.code }, `participation: ${what} failed`);
    });
  }
}
