/**
 * What a recording's summary shows beyond the store's columns: its timeline markers and
 * its step index. Both need one pass of the reducer over every event (a marker may depend
 * on the state before it), so each recording's pass is kept in memory and continued from
 * where it stopped when a live session has recorded more since. The first pass over an
 * hour of play reads ~72 000 events, in slices that yield to the event loop.
 */
import { IDLE_GAP_MS } from '@backprop/shared/protocol';
import { markerFor, type TimelineMarker } from '@backprop/shared/recording';
import { applyEvent, type SessionState } from '@backprop/shared/session';
import type { AsyncStore, SessionRecord } from '../store';

const CHUNK = 2000;
const SLICE_MS = 20;
/** Recordings whose passes are kept (the least recently used goes first). */
const CACHED = 16;

export interface Timeline {
  /** The state after the last event read (seq = the recording's lastSeq when read). */
  state: SessionState;
  /** Time of that state: its last event's, or the creation's when there is none. */
  lastT: number;
  markers: TimelineMarker[];
  /** Seqs at which the highest step reached so far goes up, with that step. */
  stepSeqs: number[];
  steps: number[];
  /** [from, to] of every stretch between two events longer than IDLE_GAP_MS. */
  idle: [number, number][];
}

export class Timelines {
  private readonly cache = new Map<string, Promise<Timeline>>();

  /** The timeline of `record` up to its last committed event. */
  async get(store: AsyncStore, record: SessionRecord): Promise<Timeline> {
    const cached = this.cache.get(record.replayId);
    const base = cached ? await cached.catch(() => null) : null;
    if (base && base.state.seq === record.lastSeq) {
      this.touch(record.replayId, cached!);
      return base;
    }
    const pending = extend(store, record, base);
    this.touch(record.replayId, pending);
    pending.catch(() => this.cache.delete(record.replayId));
    return pending;
  }

  forget(replayId: string): void {
    this.cache.delete(replayId);
  }

  private touch(replayId: string, timeline: Promise<Timeline>): void {
    this.cache.delete(replayId);
    this.cache.set(replayId, timeline);
    while (this.cache.size > CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}

async function extend(
  store: AsyncStore,
  record: SessionRecord,
  base: Timeline | null,
): Promise<Timeline> {
  let timeline = base;
  if (!timeline) {
    const initial = await store.initialState(record.code);
    if (!initial) throw new Error(`recording ${record.replayId} has no initial state`);
    timeline = {
      state: initial,
      lastT: initial.createdAt,
      markers: [],
      stepSeqs: [initial.seq],
      steps: [initial.step],
      idle: [],
    };
  }
  // Copied, so a request holding the cached one keeps a consistent timeline.
  const next: Timeline = {
    ...timeline,
    markers: [...timeline.markers],
    stepSeqs: [...timeline.stepSeqs],
    steps: [...timeline.steps],
    idle: [...timeline.idle],
  };
  let sliceEnd = performance.now() + SLICE_MS;
  for (;;) {
    const events = await store.eventsSince(record.code, next.state.seq, CHUNK);
    for (const event of events) {
      const marker = markerFor(event, next.state);
      if (marker) next.markers.push(marker);
      next.state = applyEvent(next.state, event);
      if (event.t - next.lastT > IDLE_GAP_MS) next.idle.push([next.lastT, event.t]);
      next.lastT = event.t;
      if (next.state.step > next.steps.at(-1)!) {
        next.stepSeqs.push(event.seq);
        next.steps.push(next.state.step);
      }
    }
    if (events.length < CHUNK) break;
    if (performance.now() > sliceEnd) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceEnd = performance.now() + SLICE_MS;
    }
  }
  return next;
}

/** The first seq whose state has reached `step`, or null if the recording never does. */
export function seqAtStep(timeline: Timeline, step: number): number | null {
  const { steps, stepSeqs } = timeline;
  if (steps.at(-1)! < step) return null;
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (steps[mid]! >= step) high = mid;
    else low = mid + 1;
  }
  return stepSeqs[low]!;
}

/** At most `max` [step, seq] pairs, evenly spread, always with the first and the last. */
export function thinStepIndex(timeline: Timeline, max: number): [number, number][] {
  const { steps, stepSeqs } = timeline;
  const count = steps.length;
  if (count <= max) return steps.map((step, k) => [step, stepSeqs[k]!]);
  const pairs: [number, number][] = [];
  for (let n = 0; n < max; n++) {
    const k = Math.round((n * (count - 1)) / (max - 1));
    pairs.push([steps[k]!, stepSeqs[k]!]);
  }
  return pairs;
}

/** At most `max` idle stretches, the longest, in time order. */
export function longestIdle(timeline: Timeline, max: number): [number, number][] {
  const { idle } = timeline;
  if (idle.length <= max) return idle;
  const kept = [...idle].sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, max);
  return kept.sort((a, b) => a[0] - b[0]);
}
