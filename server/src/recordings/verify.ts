/**
 * Verifying a recording: re-simulate its training from its seed and its commands with the
 * server's own Training (simulator.ts) and compare, event by event, every value the
 * recording claims training produced — networks, traces, losses, fits, divergences, race
 * forks — and, for a stored recording, every keyframe against the reducer's state. The
 * first difference is reported; a recording that does not start at the beginning of
 * training, or whose CSV dataset is not included, cannot be verified at all.
 */
import type { CsvAttachment, Keyframe } from '@backprop/shared/recording';
import type { RecordingVerifyReply } from '@backprop/shared/protocol';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import { datasetSource } from './datasets';
import { firstDifference } from './first-difference';
import { TrainingSimulator } from './simulator';

/** Re-simulation between two yields to the event loop (the server keeps serving rooms). */
const SLICE_MS = 20;

export interface VerifySource {
  initial: SessionState;
  /** The events in order, in pages (a stored recording is read a page at a time). */
  events: () => Iterable<SessionEvent[]>;
  csv: () => readonly CsvAttachment[];
  /** The stored keyframe at `seq`, if any (files have none). */
  keyframe?: (seq: number) => Keyframe | null;
}

/**
 * {ok: true, checked} (values compared: the initial state, the events, the keyframes) or
 * the first divergence. Yields to the event loop every SLICE_MS. Rejects with
 * CannotSimulate when the recording cannot be re-simulated.
 */
export async function verifyRecording(source: VerifySource): Promise<RecordingVerifyReply> {
  const steps = verification(source);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The same, in one go (the command line has nothing else to do). */
export function verifyRecordingNow(source: VerifySource): RecordingVerifyReply {
  const steps = verification(source);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The verification, pausing (yield) whenever it has run for SLICE_MS. */
function* verification(source: VerifySource): Generator<void, RecordingVerifyReply> {
  const simulator = new TrainingSimulator(source.initial, datasetSource(source.csv), true);
  const initial = simulator.checkInitial();
  if (initial) return { ok: false, firstDivergence: initial };
  let checked = 1;
  let sliceEnd = performance.now() + SLICE_MS;
  for (const page of source.events()) {
    for (const event of page) {
      const found = simulator.apply(event);
      if (found) return { ok: false, firstDivergence: found };
      checked++;
      const keyframe = source.keyframe?.(event.seq);
      if (keyframe) {
        const differs = firstDifference(simulator.state, keyframe.state, 'keyframe');
        if (differs) {
          return {
            ok: false,
            firstDivergence: { seq: event.seq, step: simulator.state.step, ...differs },
          };
        }
        checked++;
      }
      if (performance.now() > sliceEnd) {
        yield;
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
  }
  return { ok: true, checked };
}
