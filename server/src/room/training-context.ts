import type { SessionEvent, SessionEventBody, SessionState } from '@backprop/shared/session';
import type { Training } from '../training/training';

/**
 * What recording training needs of a room (frames.ts, play-loop.ts, stepping.ts):
 * its training, its public state and record(), without the whole Room, so these helpers
 * do not import room.ts and Room does not have to know what they use.
 */
export interface TrainingContext {
  readonly code: string;
  readonly training: Training;
  readonly state: SessionState;
  record(body: SessionEventBody): SessionEvent;
  /** The JSON bytes of the room's recording so far (0 for a room that keeps none). */
  readonly recordedBytes: number;
}
