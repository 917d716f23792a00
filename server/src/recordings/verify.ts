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
  for await (const page of source.events()) if (!(await paced(verification.check(page)))) break;
  return verification.result();
}

/** The same, in one go, for events at hand (the command line has nothing else to do). */
export function verifyRecordingNow(
  source: Omit<VerifySource, 'events'> & { events: () => Iterable<SessionEvent[]> },
): RecordingVerifyReply {
  const verification = new Verification(source);
  for (const page of source.events()) if (!atOnce(verification.check(page))) break;
  return verification.result();
}

/** Runs a check to its end, letting the event loop run between its slices. */
async function paced<T>(steps: Generator<void, T>): Promise<T> {
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs a check to its end without a pause. */
function atOnce<T>(steps: Generator<void, T>): T {
  for (let next = steps.next(); ; next = steps.next()) if (next.done) return next.value;
}

/** One re-simulation, fed a page of events at a time. */
class Verification {
  private readonly simulator: TrainingSimulator;
  private checked = 1;
  /** The first divergence found (the initial state's, if it has one). */
  private failure: RecordingVerifyReply | null = null;

  constructor(private readonly source: VerifySource) {
    this.simulator = new TrainingSimulator(source.initial, datasetSource(source.csv), true);
    const initial = this.simulator.checkInitial();
    if (initial) this.failure = { ok: false, firstDivergence: initial };
  }

  /**
   * Checks a page, pausing (yield) whenever it has run for SLICE_MS; returns whether to go
   * on (false once a divergence is found).
   */
  *check(page: readonly SessionEvent[]): Generator<void, boolean> {
    const { simulator } = this;
    let sliceEnd = performance.now() + SLICE_MS;
    for (const event of page) {
      if (this.failure) return false;
      const found = simulator.apply(event);
      if (found) this.failure = { ok: false, firstDivergence: found };
      else this.checkKeyframe(event.seq);
      if (performance.now() > sliceEnd) {
        yield;
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    return this.failure === null;
  }

  result(): RecordingVerifyReply {
    return this.failure ?? { ok: true, checked: this.checked };
  }

  /** Counts the event, and compares the stored keyframe at `seq` with the state, if any. */
  private checkKeyframe(seq: number): void {
    this.checked++;
    const keyframe = this.source.keyframe?.(seq);
    if (!keyframe) return;
    const differs = firstDifference(this.simulator.state, keyframe.state, 'keyframe');
    if (differs) {
      this.failure = {
        ok: false,
        firstDivergence: { seq, step: this.simulator.state.step, ...differs },
      };
    } else this.checked++;
  }
}
