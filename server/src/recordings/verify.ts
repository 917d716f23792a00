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
  /**
   * The events in order, in pages: all at hand (a file), or read a page at a time (a
   * stored recording, from a store that may answer asynchronously).
   */
  events: () => Iterable<SessionEvent[]> | AsyncIterable<SessionEvent[]>;
  csv: () => readonly CsvAttachment[];
  /** The stored keyframe at `seq`, if any (files have none), once its page has been read. */
  keyframe?: (seq: number) => Keyframe | null;
}

/**
 * {ok: true, checked} (values compared: the initial state, the events, the keyframes) or
 * the first divergence. Yields to the event loop every SLICE_MS. Rejects with
 * CannotSimulate when the recording cannot be re-simulated.
 */
export async function verifyRecording(source: VerifySource): Promise<RecordingVerifyReply> {
  const verification = new Verification(source);
  const initial = verification.checkInitial();
  if (initial) return initial;
  for await (const page of source.events()) {
    const steps = verification.check(page);
    for (;;) {
      const next = steps.next();
      if (next.done) {
        if (next.value) return next.value;
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return verification.passed();
}

/** The same, in one go, for events at hand (the command line has nothing else to do). */
export function verifyRecordingNow(
  source: Omit<VerifySource, 'events'> & { events: () => Iterable<SessionEvent[]> },
): RecordingVerifyReply {
  const verification = new Verification(source);
  const initial = verification.checkInitial();
  if (initial) return initial;
  for (const page of source.events()) {
    const steps = verification.check(page);
    for (;;) {
      const next = steps.next();
      if (next.done) {
        if (next.value) return next.value;
        break;
      }
    }
  }
  return verification.passed();
}

/** One re-simulation, fed a page of events at a time. */
class Verification {
  private readonly simulator: TrainingSimulator;
  private checked = 1;

  constructor(private readonly source: VerifySource) {
    this.simulator = new TrainingSimulator(source.initial, datasetSource(source.csv), true);
  }

  /** The divergence of the initial state, if any. */
  checkInitial(): RecordingVerifyReply | null {
    const initial = this.simulator.checkInitial();
    return initial ? { ok: false, firstDivergence: initial } : null;
  }

  /** Checks a page, pausing (yield) whenever it has run for SLICE_MS; the first divergence. */
  *check(page: readonly SessionEvent[]): Generator<void, RecordingVerifyReply | null> {
    const { simulator } = this;
    let sliceEnd = performance.now() + SLICE_MS;
    for (const event of page) {
      const found = simulator.apply(event);
      if (found) return { ok: false, firstDivergence: found };
      this.checked++;
      const keyframe = this.source.keyframe?.(event.seq);
      if (keyframe) {
        const differs = firstDifference(simulator.state, keyframe.state, 'keyframe');
        if (differs) {
          return {
            ok: false,
            firstDivergence: { seq: event.seq, step: simulator.state.step, ...differs },
          };
        }
        this.checked++;
      }
      if (performance.now() > sliceEnd) {
        yield;
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    return null;
  }

  passed(): RecordingVerifyReply {
    return { ok: true, checked: this.checked };
  }
}
