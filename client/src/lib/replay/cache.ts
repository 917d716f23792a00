/**
 * What the replay has fetched of a recording: events by seq, and states ("anchors") at
 * some seqs — those the server sent for a seek, and the ones the player passed through.
 * A state the cache can reach from an anchor with a few cached events is shown at once;
 * anything else is a server-side seek. Both kinds of entry are bounded, so a long session
 * played end to end does not keep all of itself in memory.
 *
 * Everything here is plain data and `applyEvent`, the reducer every live client runs: the
 * browser never re-simulates training, it only applies recorded events.
 */
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';

export interface CacheLimits {
  /** Events kept; past it the ones farthest from the playing position go. */
  maxEvents: number;
  /** States kept. */
  maxStates: number;
  /** The most events applied locally to reach a state; past it, asking the server is better. */
  maxLocalApply: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  maxEvents: 8000,
  maxStates: 300,
  maxLocalApply: 400,
};

export class ReplayCache {
  readonly #events = new Map<number, SessionEvent>();
  /** Insertion order is use order: a state read or stored again moves to the end. */
  readonly #states = new Map<number, SessionState>();
  readonly #limits: CacheLimits;

  constructor(limits: Partial<CacheLimits> = {}) {
    this.#limits = { ...DEFAULT_CACHE_LIMITS, ...limits };
  }

  get eventCount(): number {
    return this.#events.size;
  }

  get stateCount(): number {
    return this.#states.size;
  }

  addEvents(events: readonly SessionEvent[]): void {
    for (const event of events) this.#events.set(event.seq, event);
  }

  addState(state: SessionState): void {
    this.#states.delete(state.seq);
    this.#states.set(state.seq, state);
    if (this.#states.size > this.#limits.maxStates) {
      const oldest = this.#states.keys().next();
      if (!oldest.done) this.#states.delete(oldest.value);
    }
  }

  event(seq: number): SessionEvent | undefined {
    return this.#events.get(seq);
  }

  /** The cached events right after `seq`, in order, up to the first one missing (at most `max`). */
  eventsAfter(seq: number, max: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    for (let s = seq + 1; out.length < max; s++) {
      const event = this.#events.get(s);
      if (!event) break;
      out.push(event);
    }
    return out;
  }

  /** The last seq of the unbroken run of cached events after `seq` (seq itself if none). */
  contiguousEnd(seq: number): number {
    let s = seq;
    while (this.#events.has(s + 1)) s++;
    return s;
  }

  /**
   * The state after event `seq`, from the nearest cached state at or before it plus the
   * cached events between; null when that would take a server round trip (no state near
   * enough, or an event missing).
   */
  stateAt(seq: number): SessionState | null {
    let anchor: SessionState | null = null;
    for (const [s, state] of this.#states) {
      if (s <= seq && seq - s <= this.#limits.maxLocalApply && (!anchor || s > anchor.seq)) {
        anchor = state;
      }
    }
    if (!anchor) return null;
    let state = anchor;
    for (let s = anchor.seq + 1; s <= seq; s++) {
      const event = this.#events.get(s);
      if (!event) return null;
      state = applyEvent(state, event);
    }
    this.addState(anchor); // used: keep it longer
    return state;
  }

  /**
   * The seq current at recording time `t` (the last event at or before it), found by
   * walking the cached events from `nearSeq` backwards or forwards; null if the walk meets
   * an event that is not cached (or would be longer than a local seek may be).
   */
  seqAtTime(
    t: number,
    nearSeq: number,
    bounds: { firstSeq: number; lastSeq: number },
  ): number | null {
    let s = nearSeq;
    for (let walked = 0; walked <= this.#limits.maxLocalApply; walked++) {
      if (s > bounds.firstSeq) {
        const current = this.#events.get(s);
        if (!current) return null;
        if (current.t > t) {
          s--;
          continue;
        }
      }
      if (s >= bounds.lastSeq) return s;
      const next = this.#events.get(s + 1);
      if (!next) return null;
      if (next.t > t) return s;
      s++;
    }
    return null;
  }

  /**
   * Drops the events farthest from `focusSeq` until within the limit. Events behind the
   * position count as four times farther: playback goes forwards, and a step back is
   * usually served by a cached state.
   */
  prune(focusSeq: number): void {
    const excess = this.#events.size - this.#limits.maxEvents;
    if (excess <= 0) return;
    const distance = (seq: number) => (seq < focusSeq ? (focusSeq - seq) * 4 : seq - focusSeq);
    const far = [...this.#events.keys()].sort((a, b) => distance(b) - distance(a)).slice(0, excess);
    for (const seq of far) this.#events.delete(seq);
  }
}
