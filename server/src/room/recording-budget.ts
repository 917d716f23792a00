/**
 * The per-room recording budget: a recording must stay exportable and importable, so it
 * never grows past what an import accepts (RECORDING_LIMITS.maxBytes). In three bands:
 *
 * 1. up to TRAINING_BUDGET_BYTES, anything: training is what makes a recording big
 *    (frames, traces and setups of big networks), so it stops there (play stops with a
 *    marker; steps, setups, resets and weight edits are refused);
 * 2. up to HARD_CAP_BYTES, what a lesson still does after it: students joining, votes,
 *    answers, markers, the title, connections;
 * 3. past that, only what ends a session cleanly (END_EVENTS: settling the network,
 *    pausing, the end), for which END_RESERVE_BYTES are kept; every other command that
 *    would record is refused with recordingFull()'s message, and connections are no longer
 *    recorded. docs/recordings.md, "How big a recording gets".
 */
import { RECORDING_LIMITS } from '@backprop/shared/recording';
import { fail, type Result } from '@backprop/shared/protocol';
import type { SessionEventBody } from '@backprop/shared/session';
import type { TrainingContext } from './training-context';

const MIB = 1024 * 1024;

/** Kept for the end: a settle of the largest network (its exact weights and fit) is ~450 KB. */
export const END_RESERVE_BYTES = 1 * MIB;
/** Training records no more once the recording holds this many bytes of JSON. */
export const TRAINING_BUDGET_BYTES = RECORDING_LIMITS.maxBytes - 8 * MIB;
/** Past this, only END_EVENTS are recorded. */
export const HARD_CAP_BYTES = RECORDING_LIMITS.maxBytes - END_RESERVE_BYTES;

/** The marker recorded when play stops at the budget (a tick on the replay's timeline). */
export const BUDGET_MARKER = 'Recording full: training stopped';

/** What may still be recorded past the hard cap: ending a session cleanly. */
const END_EVENTS: ReadonlySet<SessionEventBody['type']> = new Set([
  'progressed', // settle(): the exact network when play stops
  'play-changed',
  'ended',
]);

/** Refuses a training command once the room's recording has reached the budget. */
export function checkTrainingBudget(room: Pick<TrainingContext, 'recordedBytes'>): Result {
  if (room.recordedBytes < TRAINING_BUDGET_BYTES) return { ok: true };
  return fail(
    'busy',
    `This session's recording is full (${Math.round(TRAINING_BUDGET_BYTES / MIB)} MiB of ` +
      'training), so it can still be exported and replayed. End it and start a new session ' +
      'to train further.',
  );
}

/** Whether an event of this type may be recorded with the recording at `bytes`. */
export function mayRecord(type: SessionEventBody['type'], bytes: number): boolean {
  return bytes < HARD_CAP_BYTES || END_EVENTS.has(type);
}

/** What a command that would record gets once the recording is at its hard cap. */
export function recordingFull() {
  return fail(
    'busy',
    `This session's recording is full (${Math.round(HARD_CAP_BYTES / MIB)} MiB), so it can ` +
      'still be exported and replayed: nothing more can be recorded. End it and start a new ' +
      'session to go on.',
  );
}

/** Thrown by Room.record for an event past the hard cap; the room answers recordingFull(). */
export class RecordingFullError extends Error {
  override name = 'RecordingFullError';
  constructor(type: string) {
    super(`the recording is full: a ${type} event is not recorded`);
  }
}
