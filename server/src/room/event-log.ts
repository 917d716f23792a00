import type { SessionEvent } from '@backprop/shared/session';

/**
 * The events of one room, in seq order: in the store (store/store-event-log.ts), or in
 * memory for a room without one.
 */
export interface EventLog {
  append(event: SessionEvent): void;
  /**
   * Commits what was appended (and staged) since the last flush, in one transaction;
   * rejects if it could not. The room awaits it at the end of each task, before anything
   * is broadcast or acknowledged.
   */
  flush?(): Promise<void>;
  /** Whether anything waits for flush: events, or writes staged beside them. */
  readonly unflushed?: boolean;
  /**
   * Every event with seq > `seq`, in order, or null when some of them are no longer kept
   * (the caller then sends a snapshot instead).
   */
  since(seq: number): SessionEvent[] | null;
  /** The JSON bytes of the recording so far (its initial state and events), if one is kept. */
  readonly bytes?: number;
}

/**
 * Keeps the last `capacity` events. Older ones are dropped: a client that missed more
 * than that gets a snapshot, which is smaller than the events anyway.
 */
export class MemoryEventLog implements EventLog {
  private readonly events: SessionEvent[] = [];

  constructor(private readonly capacity = 1000) {}

  append(event: SessionEvent): void {
    const last = this.events.at(-1);
    if (last && event.seq !== last.seq + 1) {
      throw new Error(`event log: seq ${event.seq} does not follow ${last.seq}`);
    }
    this.events.push(event);
    if (this.events.length > this.capacity)
      this.events.splice(0, this.events.length - this.capacity);
  }

  since(seq: number): SessionEvent[] | null {
    const first = this.events[0];
    if (!first) return seq === 0 ? [] : null;
    const last = this.events.at(-1)!;
    // A client "from the future" (a seq this room never issued) cannot be patched up.
    if (seq > last.seq) return null;
    if (seq < first.seq - 1) return null;
    return this.events.slice(seq - first.seq + 1);
  }
}

/** Told after each commit: how many events it made durable, and how long that took. */
export type CommitObserver = (events: number, seconds: number) => void;

/**
 * `log`, reporting each commit (flush) to `observe`: for metrics, without the room or the
 * store knowing about them. A log without a flush (in memory) commits on append.
 */
export function observedEventLog(log: EventLog, observe: CommitObserver): EventLog {
  let pending = 0;
  return {
    append(event) {
      log.append(event);
      pending++;
    },
    async flush() {
      const started = performance.now();
      const events = pending;
      pending = 0;
      await log.flush?.();
      observe(events, (performance.now() - started) / 1000);
    },
    get unflushed() {
      return log.unflushed ?? false;
    },
    get bytes() {
      return log.bytes;
    },
    since: (seq) => log.since(seq),
  };
}
