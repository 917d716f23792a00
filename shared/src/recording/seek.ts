/**
 * Random access into a recording for the replay's scrubber. One pass of the reducer over
 * the events keeps a keyframe (the full state) every K events, the step reached and the
 * timeline markers; seeking then costs one keyframe plus at most K − 1 events, whatever
 * the length of the session. States share structure (the reducer never mutates), so the
 * keyframes cost far less memory than K full copies each.
 */
import type { SessionEvent } from '../session/events';
import { applyEvent } from '../session/reducer';
import type { SessionState } from '../session/state';
import { markerFor, type TimelineMarker } from './markers';

/** Events between keyframes, in the replay and in the store (bounded seek cost). */
export const KEYFRAME_INTERVAL = 200;

export interface Keyframe {
  seq: number;
  state: SessionState;
}

export class RecordingIndex {
  readonly initial: SessionState;
  readonly events: readonly SessionEvent[];
  /** keyframes[k] is the state at seq firstSeq + k·K (keyframes[0] is the initial state). */
  readonly keyframes: readonly Keyframe[];
  /** The seq of the initial state: stateAt(firstSeq) is the state before any event. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly finalState: SessionState;
  private readonly interval: number;
  private readonly timeline: TimelineMarker[] = [];
  /*
   * The step index: the seqs at which the highest step reached so far goes up, with that
   * highest step. Steps fall back to 0 on a reset, so "first reaching step s" is a search
   * on the running maximum, which never decreases.
   */
  private readonly stepSeqs: number[] = [];
  private readonly stepMaxima: number[] = [];

  /** `events` must follow `initial` with seqs counting up by one (decodeRecording checks it). */
  constructor(
    initial: SessionState,
    events: readonly SessionEvent[],
    options: { keyframeInterval?: number } = {},
  ) {
    const interval = options.keyframeInterval ?? KEYFRAME_INTERVAL;
    if (!Number.isInteger(interval) || interval < 1) {
      throw new RangeError(`keyframeInterval must be a whole number ≥ 1, got ${interval}`);
    }
    this.interval = interval;
    this.initial = initial;
    this.events = events;
    this.firstSeq = initial.seq;
    this.lastSeq = initial.seq + events.length;
    const keyframes: Keyframe[] = [{ seq: initial.seq, state: initial }];
    let state = initial;
    let maxStep = initial.step;
    this.stepSeqs.push(initial.seq);
    this.stepMaxima.push(maxStep);
    events.forEach((event, k) => {
      if (event.seq !== initial.seq + k + 1) {
        throw new RangeError(`event ${k} has seq ${event.seq}, expected ${initial.seq + k + 1}`);
      }
      const marker = markerFor(event, state);
      if (marker) this.timeline.push(marker);
      state = applyEvent(state, event);
      if (state.step > maxStep) {
        maxStep = state.step;
        this.stepSeqs.push(event.seq);
        this.stepMaxima.push(maxStep);
      }
      if ((k + 1) % interval === 0) keyframes.push({ seq: event.seq, state });
    });
    this.keyframes = keyframes;
    this.finalState = state;
  }

  /** The state after the event `seq` (the initial state for firstSeq). */
  stateAt(seq: number): SessionState {
    if (!Number.isInteger(seq) || seq < this.firstSeq || seq > this.lastSeq) {
      throw new RangeError(`seq must be a whole number from ${this.firstSeq} to ${this.lastSeq}`);
    }
    const keyframe = this.keyframes[Math.floor((seq - this.firstSeq) / this.interval)]!;
    let state = keyframe.state;
    for (let s = keyframe.seq + 1; s <= seq; s++) {
      state = applyEvent(state, this.events[s - this.firstSeq - 1]!);
    }
    return state;
  }

  /** The seq whose state was current at time `t`: the last event at or before t. */
  seqAtTime(t: number): number {
    // Times never decrease (decodeRecording checks it): binary search.
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events[mid]!.t <= t) low = mid + 1;
      else high = mid;
    }
    return this.firstSeq + low;
  }

  /**
   * The first seq whose state has reached `step` training steps (the initial seq if it
   * already had), or null if the recording never gets that far.
   */
  seqAtStep(step: number): number | null {
    const maxima = this.stepMaxima;
    if (maxima.at(-1)! < step) return null;
    let low = 0;
    let high = maxima.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (maxima[mid]! >= step) high = mid;
      else low = mid + 1;
    }
    return this.stepSeqs[low]!;
  }

  /** The recording's timeline markers, in seq order (see markers.ts). */
  markers(): readonly TimelineMarker[] {
    return this.timeline;
  }
}
