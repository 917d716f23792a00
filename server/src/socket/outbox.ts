/**
 * One socket's outbox: no backlog, ever (docs/protocol.md, "No backlog").
 *
 * A client that cannot keep up with play (a phone whose main thread is busy, a weak Wi-Fi
 * link) gets fewer frames, never late ones. At most FRAMES_IN_FLIGHT messages of play
 * frames are sent and not yet acknowledged; the next waits, and while it waits a newer
 * frame replaces it (the dropped seqs are reported with the next message, so the client
 * does not take them for a gap). Every other message (steps, setup, participation,
 * markers, play-changed…) is sent as soon as nothing older waits before it: never dropped,
 * never reordered.
 *
 * Why a client ack and not engine.io's `drain`: `drain` fires when the bytes are in the
 * kernel's socket buffer, which holds megabytes (minutes of frames) before a client that
 * stopped reading pushes back, and a browser reads its socket into its own queue even when
 * the page's main thread is too busy to handle the messages. The ack is sent by the page's
 * handler, so it measures what the page takes. Its cost is one tiny packet up per frame.
 */
import {
  addSkipped,
  framesOnly,
  framesStillNeeded,
  newestFrames,
  type SkippedSeqs,
  type WireEvent,
} from '@backprop/shared/protocol';

/**
 * How long a frame waits for its ack before the next may go anyway: a client that never
 * acks (a bug, a frozen tab) still gets a frame this often, and never more.
 */
export const FRAME_ACK_TIMEOUT_MS = 5000;

/**
 * Messages of frames sent and not yet acknowledged. Two, not one: frames come every 50 ms,
 * and with one a client on a classroom Wi-Fi whose round trip reaches 50 ms (or a laptop
 * whose event loop stalls that long) would lose frames it could have shown; with two, a
 * 100 ms round trip still gets all 20 a second. A slow client is then at most two of its
 * own handling times behind (600 ms for a phone that takes 300 ms per frame).
 */
export const FRAMES_IN_FLIGHT = 2;

export interface OutboxMessage {
  /** The events of one commit as the wire carries them (encoded once for every socket). */
  events: readonly WireEvent[];
  /** A message of frames only, which newer frames may thin or replace; any other goes. */
  droppable: boolean;
}

/** Where the outbox writes: its socket (fan-out.ts) or a test's fake. */
export interface OutboxSink {
  send(events: readonly WireEvent[], skipped: SkippedSeqs): void;
  /** Sends a message of frames; `taken` once the client acknowledged it or the wait timed out. */
  sendFrames(events: readonly WireEvent[], skipped: SkippedSeqs, taken: () => void): void;
}

export class Outbox {
  /**
   * Messages not yet sent, in seq order. Of frames, at most three: the newest, and before
   * other messages that hold them in place, one that carries the newest weights and one
   * the newest fit that the frames after them lack (thin()).
   */
  private readonly queue: OutboxMessage[] = [];
  /** Messages of frames sent and not yet acknowledged (or timed out). */
  private inFlight = 0;
  /** Seqs dropped since the last message sent. */
  private skipped: SkippedSeqs = [];
  /** Frames dropped so far (for tests and benchmarks). */
  dropped = 0;

  constructor(private readonly sink: OutboxSink) {}

  /** Messages waiting (frames, and the other messages behind them). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Messages of frames waiting: at most three (see queue). */
  get waitingFrames(): number {
    return this.queue.filter((m) => m.droppable).length;
  }

  push(message: OutboxMessage): void {
    if (message.droppable) {
      const last = this.queue.at(-1);
      if (last?.droppable) {
        // Nothing waits behind it: the newer frames go, with the waiting frames that carry
        // what they lack (weights, a fit), as one message (newestFrames).
        const { kept, dropped } = newestFrames(last.events, message.events);
        this.queue.pop();
        this.drop(dropped);
        message = { events: kept, droppable: true };
      }
      this.thin(message.events);
    }
    this.queue.push(message);
    this.flush();
  }

  /**
   * The newest frames always go at the queue's end (after the last frame before a pause,
   * nothing would correct an older one). Frames that wait before other messages cannot join
   * them without reordering: each keeps its place and only what the frames after it lack
   * (framesStillNeeded), or goes altogether.
   */
  private thin(newest: readonly WireEvent[]): void {
    let after = newest;
    for (let at = this.queue.length - 1; at >= 0; at--) {
      const waiting = this.queue[at]!;
      if (!waiting.droppable) continue;
      const kept = framesStillNeeded(waiting.events, after);
      this.drop(waiting.events.filter((e) => !kept.includes(e)));
      if (kept.length === 0) this.queue.splice(at, 1);
      else this.queue[at] = { events: kept, droppable: true };
      after = [...kept, ...after];
    }
  }

  private drop(events: readonly WireEvent[]): void {
    this.dropped += events.length;
    for (const { seq } of events) addSkipped(this.skipped, seq, seq);
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!head.droppable) {
        this.queue.shift();
        this.sink.send(head.events, this.takeSkipped());
        continue;
      }
      if (this.inFlight >= FRAMES_IN_FLIGHT) return;
      this.queue.shift();
      this.inFlight++;
      let done = false;
      this.sink.sendFrames(head.events, this.takeSkipped(), () => {
        if (done) return;
        done = true;
        this.inFlight--;
        this.flush();
      });
    }
  }

  private takeSkipped(): SkippedSeqs {
    const skipped = this.skipped;
    this.skipped = [];
    return skipped;
  }
}

/** The outbox message of one commit's events as the wire carries them. */
export function outboxMessage(events: readonly WireEvent[]): OutboxMessage {
  return { events, droppable: framesOnly(events) };
}
