/**
 * Where a recording time sits on the replay's timeline, and back: the same compressed time
 * the player plays through (clock.ts). With "skip idle" on, an idle stretch (two events
 * more than IDLE_SKIP.thresholdMs apart: the summary's `idle`) takes as much of the
 * timeline as it takes to play, IDLE_SKIP.compressedMs, so an idle hour no longer pushes
 * every marker to the right, and a drag of the slider lands where playing would have
 * got to. Without skipping, positions are linear in time. Pure: no DOM, no timers.
 */
import { IDLE_SKIP, gapRate, type IdleSkip } from './clock';

export interface TimelineScale {
  /** The timeline's length in compressed milliseconds (what the slider ranges over). */
  readonly length: number;
  /** The compressed position (0 … length) of recording time `t`. */
  at(t: number): number;
  /** The recording time at compressed position `position`. */
  timeAt(position: number): number;
  /** `t` as a percentage of the timeline (0 … 100). */
  percent(t: number): number;
}

interface Stretch {
  from: number;
  to: number;
  /** Compressed position of `from`. */
  start: number;
  /** Recording ms per compressed ms inside it. */
  rate: number;
}

export function timelineScale(
  firstT: number,
  lastT: number,
  idle: readonly (readonly [number, number])[],
  skipIdle: boolean,
  options: IdleSkip = IDLE_SKIP,
): TimelineScale {
  // The stretches that play faster, clipped to the recording, in order; ordinary time
  // between them runs at 1.
  const stretches: Stretch[] = [];
  let saved = 0;
  let previousEnd = firstT;
  if (skipIdle) {
    for (const [gapFrom, gapTo] of idle) {
      const from = Math.max(gapFrom, previousEnd);
      const to = Math.min(gapTo, lastT);
      if (to <= from) continue;
      const rate = gapRate(gapTo - gapFrom, true, options);
      if (rate <= 1) continue;
      stretches.push({ from, to, start: from - firstT - saved, rate });
      saved += (to - from) * (1 - 1 / rate);
      previousEnd = to;
    }
  }
  const length = Math.max(0, lastT - firstT - saved);

  const at = (t: number): number => {
    const clamped = Math.min(lastT, Math.max(firstT, t));
    const k = lastIndex(stretches, (s) => s.from <= clamped);
    if (k < 0) return clamped - firstT;
    const s = stretches[k]!;
    if (clamped <= s.to) return s.start + (clamped - s.from) / s.rate;
    return s.start + (s.to - s.from) / s.rate + (clamped - s.to);
  };
  const timeAt = (position: number): number => {
    const p = Math.min(length, Math.max(0, position));
    const k = lastIndex(stretches, (s) => s.start <= p);
    if (k < 0) return firstT + p;
    const s = stretches[k]!;
    const end = s.start + (s.to - s.from) / s.rate;
    if (p <= end) return s.from + (p - s.start) * s.rate;
    return s.to + (p - end);
  };
  return {
    length,
    at,
    timeAt,
    percent: (t) => (length > 0 ? (at(t) / length) * 100 : 0),
  };
}

/** The last index whose item satisfies `before` (a prefix of the sorted items does), or −1. */
function lastIndex<T>(items: readonly T[], before: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(items[mid]!)) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}
