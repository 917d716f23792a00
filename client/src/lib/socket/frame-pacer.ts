/**
 * A student's play frames, handed from the socket worker to the page at the page's pace.
 *
 * Why: a student's views show a play frame at most every STUDENT_FRAME_MS (ten a second)
 * while the server sends up to twenty, and every message the page takes costs its main
 * thread a task whether or not it is shown (the structured clone, the reducer: ~1.6 ms on a
 * phone ×4, in bench:client's traces). So the worker keeps the newest frame and posts it
 * once STUDENT_FRAME_MS have passed since the last one and the page has taken that one: the
 * page receives the frames it shows, and a page too busy to take them gets fewer, never late
 * ones (the server's outbox rule, server/src/socket/outbox.ts, one hop further on). The
 * frames it drops are reported as skipped, as the server's are. Any other event goes to the
 * page at once, after the frame held, if any: nothing is reordered. While the page's tab is
 * hidden it shows nothing, so frames wait here (the newest kept) until it is shown again: a
 * hidden tab's main thread does no work for play.
 */
import {
  addSkipped,
  newestFrames,
  type SkippedSeqs,
  type WireEvent,
} from '@backprop/shared/protocol';

/** How often a student's page takes a play frame: ten a second (the server sends up to 20). */
export const STUDENT_FRAME_MS = 100;

export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Posts a message of frames to the page, whose acknowledgement calls `taken`. */
type Deliver = (events: WireEvent[], skipped: SkippedSeqs, taken: () => void) => void;

export class FramePacer {
  /** The newest message of frames, not yet posted. */
  #held: { events: WireEvent[] } | null = null;
  /** Seqs dropped here or by the server since the last message posted (only while one is held). */
  #skipped: SkippedSeqs = [];
  #postedAt = -Infinity;
  /** The page has not taken the last message of frames posted yet. */
  #waitingForPage = false;
  /** Messages of frames posted so far: only the last one's acknowledgement counts. */
  #posts = 0;
  /** The page's tab is hidden: frames are held until it is shown. */
  #hidden = false;
  #timer: unknown = null;
  /** Frames dropped so far (for tests). */
  dropped = 0;

  constructor(
    private readonly deliver: Deliver,
    private readonly clock: PacerClock = realClock,
    private readonly intervalMs = STUDENT_FRAME_MS,
  ) {}

  /** A message of frames only, from the server. */
  frames(events: WireEvent[], skipped: SkippedSeqs): void {
    for (const [from, to] of skipped) addSkipped(this.#skipped, from, to);
    const held = this.#held;
    if (held) {
      // The newest goes, with the held frames that carry the weights or a fit it lacks, as
      // in the server's outbox (newestFrames).
      const { kept, dropped } = newestFrames(held.events, events);
      this.#drop(dropped);
      events = kept;
    }
    this.#held = { events };
    this.#pump();
  }

  /** Something else is about to go to the page: the frame held goes first. */
  flush(): void {
    if (this.#held) this.#post();
  }

  /** The page's tab was hidden (true) or shown again (false). */
  hold(hidden: boolean): void {
    this.#hidden = hidden;
    this.#pump();
  }

  /** The connection dropped: the page's acknowledgement of the last message is not awaited. */
  reset(): void {
    this.flush();
    this.#waitingForPage = false;
  }

  #pump(): void {
    if (!this.#held || this.#waitingForPage || this.#hidden) return;
    const wait = this.#postedAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.#post();
    else
      this.#timer ??= this.clock.setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, wait);
  }

  #post(): void {
    const { events } = this.#held!;
    const skipped = this.#skipped;
    this.#held = null;
    this.#skipped = [];
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#postedAt = this.clock.now();
    this.#waitingForPage = true;
    const post = ++this.#posts;
    this.deliver(events, skipped, () => {
      if (post !== this.#posts) return;
      this.#waitingForPage = false;
      this.#pump();
    });
  }

  #drop(events: readonly WireEvent[]): void {
    this.dropped += events.length;
    for (const { seq } of events) addSkipped(this.#skipped, seq, seq);
  }
}
