/**
 * The room's EventLog, kept in the Store.
 *
 * Commit before acknowledging: the room calls `append` for each event of a command (or of
 * a play frame), then `flush()` — one transaction for all of them — and only then acks
 * the command and broadcasts the events. If flush throws, nothing of the batch is stored
 * and nothing may leave the room: its in-memory state is now ahead of what a restart
 * would restore, so the room must stop (and be reloaded from the store).
 *
 * With `writeThrough: true`, append commits at once (one transaction per event), which
 * gives the same guarantee to a room that appends, applies and broadcasts in one go, as
 * Room.record does today; batching is the cheaper mode for the many events of one tick.
 *
 * The log follows the state with the shared reducer so that it can store a keyframe every
 * `keyframeInterval` events in the same transaction as the events.
 */
import { KEYFRAME_INTERVAL, type Keyframe } from '@backprop/shared/recording';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { EventLog } from '../room/event-log';
import type { Store } from './store';

export interface StoreEventLogOptions {
  /**
   * The session's state at its last committed event, when the caller has it at hand (a
   * restart has loadSession's). Otherwise it is read from the store at first use, so a
   * log can be handed to a Room before the Room has built the initial state that
   * store.createSession needs: create the session right after the Room, before any event.
   */
  state?: SessionState;
  /** Events between two keyframes: a number, or one for the state (a bigger network's are rarer). */
  keyframeInterval?: number | ((state: SessionState) => number);
  writeThrough?: boolean;
  /**
   * since() answers null (the room then sends a snapshot) when more events than this are
   * missing, instead of reading them all from the database to throw them away. The room's
   * MAX_SYNC_EVENTS is the natural value.
   */
  maxSince?: number;
}

export class StoreEventLog implements EventLog {
  private readonly keyframeInterval: (state: SessionState) => number;
  private readonly writeThrough: boolean;
  private readonly maxSince: number;
  /** The last committed state, and the state after the pending events too (null until known). */
  private committed: SessionState | null;
  private current: SessionState | null;
  private pending: SessionEvent[] = [];
  private pendingKeyframes: Keyframe[] = [];
  private firstSeq: number | null = null;
  /** The recording's bytes, read from the store at first use, then counted as events commit. */
  private committedBytes: number | null = null;

  constructor(
    private readonly store: Store,
    private readonly code: string,
    options: StoreEventLogOptions = {},
  ) {
    const interval = options.keyframeInterval ?? KEYFRAME_INTERVAL;
    this.keyframeInterval = typeof interval === 'number' ? () => interval : interval;
    this.writeThrough = options.writeThrough ?? false;
    this.maxSince = options.maxSince ?? Infinity;
    this.committed = options.state ?? null;
    this.current = this.committed;
  }

  /** The seq of the last committed event. */
  get committedSeq(): number {
    return this.committedState().seq;
  }

  get bytes(): number {
    this.committedBytes ??= this.store.recordingBytes(this.code);
    return this.committedBytes;
  }

  /** Events appended and not yet flushed. */
  get pendingCount(): number {
    return this.pending.length;
  }

  append(event: SessionEvent): void {
    // Checked here, before the room applies the event, as the memory log does.
    const current = this.current ?? this.committedState();
    if (event.seq !== current.seq + 1) {
      throw new Error(`event log: seq ${event.seq} does not follow ${current.seq}`);
    }
    this.current = applyEvent(current, event);
    this.pending.push(event);
    if (event.seq % this.keyframeInterval(this.current) === 0) {
      this.pendingKeyframes.push({ seq: event.seq, state: this.current });
    }
    if (this.writeThrough) this.flush();
  }

  /** Commits the pending events (and keyframes) in one transaction; nothing to do if none. */
  flush(): void {
    if (this.pending.length === 0) return;
    const events = this.pending;
    const keyframes = this.pendingKeyframes;
    // Cleared first: whether the commit succeeds or not, these events are done with here.
    this.pending = [];
    this.pendingKeyframes = [];
    try {
      const added = this.store.appendEvents(this.code, events, keyframes);
      if (this.committedBytes !== null) this.committedBytes += added;
    } catch (err) {
      // Nothing was stored: the log goes back to the last committed event.
      this.current = this.committed;
      throw err;
    }
    this.committed = this.current;
  }

  /**
   * Committed events after `seq` (pending ones are not shown: they may still be lost).
   * Null for a seq the log cannot answer from: before the recording, after its last
   * committed event, or too far back (see maxSince).
   */
  since(seq: number): SessionEvent[] | null {
    const last = this.committedSeq;
    if (seq < this.initialSeq() || seq > last) return null;
    if (last - seq > this.maxSince) return null;
    return this.store.eventsSince(this.code, seq);
  }

  private committedState(): SessionState {
    if (!this.committed) {
      const loaded = this.store.loadSession(this.code);
      if (!loaded) throw new Error(`event log: there is no session ${this.code} in the store`);
      this.committed = loaded.state;
      this.current = loaded.state;
    }
    return this.committed;
  }

  private initialSeq(): number {
    this.firstSeq ??= this.store.session(this.code)?.initialSeq ?? 0;
    return this.firstSeq;
  }
}
