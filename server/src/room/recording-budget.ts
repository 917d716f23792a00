/**
 * The per-room recording budget: a recording must stay exportable and importable, so it
 * never grows past what an import accepts (RECORDING_LIMITS.maxBytes). Training is what
 * makes a recording big (frames, traces of big networks), so training stops at a budget
 * below that cap, and the rest is kept for what a lesson still does after it (students
 * joining, votes, markers, the end): docs/recordings.md, "How big a recording gets".
 */
import { RECORDING_LIMITS } from '@backprop/shared/recording';
import { fail, type Result } from '@backprop/shared/protocol';
import type { TrainingContext } from './training-context';

/** Training records no more once the recording holds this many bytes of JSON. */
export const TRAINING_BUDGET_BYTES = RECORDING_LIMITS.maxBytes - 8 * 1024 * 1024;

/** The marker recorded when play stops at the budget (a tick on the replay's timeline). */
export const BUDGET_MARKER = 'Recording full: training stopped';

const MIB = 1024 * 1024;

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
