/**
 * The room's EventLog, kept in the store (any AsyncStore: SQLite or Postgres).
 *
 * Commit before acknowledging: the room calls `append` for each event of a command (or of
 * a play frame), then awaits `flush()` — one transaction for all of them, with the writes
 * staged beside them (`stage`: a student's token hash, a CSV file, a training checkpoint)
 * — and only then acks the command and broadcasts the events. If flush rejects, nothing of
 * the batch is stored and nothing may leave the room: its in-memory state is now ahead of
 * what a restart would restore, so the room must stop (and be reloaded from the store).
 *
 * The log follows the state with the shared reducer so that it can store a keyframe every
 * `keyframeInterval` events in the same transaction as the events. It keeps the last
 * `maxSince` committed events in memory, so that a reconnecting client is answered
 * without a read from the store (which would be a network round trip on Postgres).
 */
import { KEYFRAME_INTERVAL, type Keyframe } from '@backprop/shared/recording';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { MemoryEventLog, type EventLog } from '../room/event-log';
import type { AsyncStore } from './async-store';

/** A write committed with the next batch of events, in its transaction, before the events. */
export type StagedWrite = (tx: AsyncStore) => Promise<unknown>;

/** Events kept in memory for since() unless told otherwise (the room's MAX_SYNC_EVENTS). */
const DEFAULT_MAX_SINCE = 256;

export interface StoreEventLogOptions {
  /** Events between two keyframes: a number, or one for the state (a bigger network's are rarer). */
  keyframeInterval?: number | ((state: SessionState) => number);
  /**
   * since() answers null (the room then sends a snapshot) when more events than this are
   * missing: the log keeps this many committed events in memory.
   */
  maxSince?: number;
}

/** Where the session stands in the store when its log is opened. */
export interface CommittedPosition {
  /** The state at the last committed event. */
  state: SessionState;
  /** The recording's bytes (store.recordingBytes). */
  bytes: number;
  /** The last committed events, oldest first (any number; the last maxSince are kept). */
  recent: readonly SessionEvent[];
}

export class StoreEventLog implements EventLog {
  private readonly keyframeInterval: (state: SessionState) => number;
  /** The last committed state, and the state after the pending events too. */
  private committed: SessionState;
  private current: SessionState;
  private pending: SessionEvent[] = [];
  private pendingKeyframes: Keyframe[] = [];
  private staged: StagedWrite[] = [];
  /** The last committed events: what since() answers from. */
  private readonly recent: MemoryEventLog;
  private committedBytes: number;

  constructor(
    private readonly store: AsyncStore,
    private readonly code: string,
    position: CommittedPosition,
    options: StoreEventLogOptions = {},
  ) {
    const interval = options.keyframeInterval ?? KEYFRAME_INTERVAL;
    this.keyframeInterval = typeof interval === 'number' ? () => interval : interval;
    this.committed = position.state;
    this.current = position.state;
    this.committedBytes = position.bytes;
    this.recent = new MemoryEventLog(options.maxSince ?? DEFAULT_MAX_SINCE);
    const maxSince = options.maxSince ?? DEFAULT_MAX_SINCE;
    for (const event of position.recent.slice(-maxSince)) this.recent.append(event);
  }

  /**
   * A log for the session `code` as the store has it: its state (given, when the caller has
   * it at hand, or loaded), its bytes and its last events. Throws if there is no session.
   */
  static async open(
    store: AsyncStore,
    code: string,
    options: StoreEventLogOptions & { state?: SessionState } = {},
  ): Promise<StoreEventLog> {
    const state = options.state ?? (await store.loadSession(code))?.state;
    if (!state) throw new Error(`event log: there is no session ${code} in the store`);
    const maxSince = options.maxSince ?? DEFAULT_MAX_SINCE;
    const [bytes, recent] = await Promise.all([
      store.recordingBytes(code),
      Number.isFinite(maxSince)
        ? store.eventsSince(code, Math.max(0, state.seq - maxSince), maxSince)
        : store.eventsSince(code, 0),
    ]);
    return new StoreEventLog(store, code, { state, bytes, recent }, options);
  }

  /** The seq of the last committed event. */
  get committedSeq(): number {
    return this.committed.seq;
  }

  get bytes(): number {
    return this.committedBytes;
  }

  /** Events appended and not yet flushed. */
  get pendingCount(): number {
    return this.pending.length;
  }

  get unflushed(): boolean {
    return this.pending.length > 0 || this.staged.length > 0;
  }

  append(event: SessionEvent): void {
    // Checked here, before the room applies the event, as the memory log does.
    if (event.seq !== this.current.seq + 1) {
      throw new Error(`event log: seq ${event.seq} does not follow ${this.current.seq}`);
    }
    this.current = applyEvent(this.current, event);
    this.pending.push(event);
    if (event.seq % this.keyframeInterval(this.current) === 0) {
      this.pendingKeyframes.push({ seq: event.seq, state: this.current });
    }
  }

  /** Commits `write` with the next flush, in the same transaction, before its events. */
  stage(write: StagedWrite): void {
    this.staged.push(write);
  }

  /**
   * Commits the pending events (and keyframes, and staged writes) in one transaction;
   * nothing to do if none. One flush at a time: the room awaits each before the next.
   */
  async flush(): Promise<void> {
    if (!this.unflushed) return;
    const events = this.pending;
    const keyframes = this.pendingKeyframes;
    const staged = this.staged;
    const next = this.current;
    // Cleared first: whether the commit succeeds or not, these are done with here.
    this.pending = [];
    this.pendingKeyframes = [];
    this.staged = [];
    let added: number;
    try {
      const append = (store: AsyncStore) =>
        events.length > 0 ? store.appendEvents(this.code, events, keyframes) : 0;
      if (staged.length === 0) {
        // The common case (a play frame): appendEvents is one transaction by itself.
        added = await append(this.store);
      } else {
        added = await this.store.transaction(async (tx) => {
          for (const write of staged) await write(tx);
          return append(tx);
        });
      }
    } catch (err) {
      // Nothing was stored: the log goes back to the last committed event.
      this.current = this.committed;
      throw err;
    }
    this.committedBytes += added;
    this.committed = next;
    for (const event of events) this.recent.append(event);
  }

  /**
   * Committed events after `seq` (pending ones are not shown: they may still be lost).
   * Null for a seq the log cannot answer from: after its last committed event, or further
   * back than the events it keeps.
   */
  since(seq: number): SessionEvent[] | null {
    if (seq === this.committed.seq) return [];
    if (seq > this.committed.seq) return null;
    // Before the last commit, a right answer has events: none means they are not kept.
    const events = this.recent.since(seq);
    return events && events.length > 0 ? events : null;
  }
}
