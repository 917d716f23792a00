import type { SessionEvent, SessionEventBody } from '@backprop/shared/session';
import type { TrainingContext } from '../training-context';
import type { Participation } from './participation';

/**
 * What participation's commands (proposals, votes, quizzes, races, a student's removal)
 * need of a room: what recording training needs, the private bookkeeping, the time the
 * next event will carry and the room's queue. A narrow context, not the Room, so that
 * these files do not import room.ts: the Room calls them, and nothing here calls it back.
 */
export interface ParticipationContext extends TrainingContext {
  readonly participation: Participation;
  /** The time the next event will carry (Room.now). */
  now(): number;
  /** `at`: a time read from now() before the body was built (a quiz's closing time). */
  record(body: SessionEventBody, at?: number): SessionEvent;
  /** Runs a task in the room's queue, after the tasks before it (Room.run). */
  run<T>(task: () => T | Promise<T>): Promise<T>;
}
