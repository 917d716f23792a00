/**
 * The replay's clock, with no timers and no DOM (so it is unit-tested): how far recording
 * time moves in a stretch of wall time at a playback speed, with long idle stretches
 * compressed, and which recorded events are due at a recording time.
 *
 * Recording time is the server's event time (ms since the epoch, as in SessionEvent.t).
 * Playback time is what the viewer waits through: recording time divided by the speed,
 * except that a gap between two events longer than `idle.thresholdMs` lasts only
 * `idle.compressedMs` when idle stretches are skipped. The position still sweeps through
 * such a gap (faster), so the timeline never jumps.
 */

import { IDLE_GAP_MS } from '@backprop/shared/protocol';
import { countText } from '../plural';
/** The speeds the player offers. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
export type Speed = (typeof SPEEDS)[number];

export interface IdleSkip {
  /** Gaps between events longer than this are idle stretches. */
  thresholdMs: number;
  /** How long an idle stretch lasts in playback (at 1×) when skipping. */
  compressedMs: number;
}

/** The server finds the same idle stretches for the timeline (IDLE_GAP_MS, timeline-scale.ts). */
export const IDLE_SKIP: IdleSkip = { thresholdMs: IDLE_GAP_MS, compressedMs: 800 };

export interface PlaybackOptions {
  speed: number;
  skipIdle: boolean;
  idle?: IdleSkip;
}

/**
 * Recording milliseconds per playback millisecond (at 1×) inside a gap of `gapMs` between
 * two events: 1, or more for a compressed idle stretch.
 */
export function gapRate(gapMs: number, skipIdle: boolean, idle: IdleSkip = IDLE_SKIP): number {
  if (!skipIdle || gapMs <= idle.thresholdMs) return 1;
  return gapMs / idle.compressedMs;
}

/** How long (playback ms at 1×) the stretch from `from` to `to` inside one gap lasts. */
export function playbackLength(
  gapStart: number,
  gapEnd: number,
  from: number,
  to: number,
  skipIdle: boolean,
  idle: IdleSkip = IDLE_SKIP,
): number {
  return (to - from) / gapRate(gapEnd - gapStart, skipIdle, idle);
}

export interface AdvanceInput {
  /** The current recording time. */
  t: number;
  /** Time of the last event at or before t (where the current gap started). */
  gapStart: number;
  /** Times of the next events after the current one, in order (all ≥ t). */
  upcoming: readonly number[];
  /**
   * True when `upcoming` reaches the recording's last event. When false and the clock runs
   * past the last upcoming time, it waits there (the player is still fetching).
   */
  complete: boolean;
  /** The recording's end (time of its last event). */
  endT: number;
  /** Wall-clock milliseconds since the last advance. */
  wallMs: number;
}

export interface Advanced {
  t: number;
  /** Waiting for events not fetched yet. */
  stalled: boolean;
  /** Reached the end of the recording. */
  ended: boolean;
}

/**
 * Moves recording time on by `wallMs` of playback at `options.speed`, gap by gap: inside
 * each gap between events the rate is that gap's (compressed or not).
 */
export function advance(input: AdvanceInput, options: PlaybackOptions): Advanced {
  const idle = options.idle ?? IDLE_SKIP;
  let budget = Math.max(0, input.wallMs) * options.speed;
  let t = input.t;
  let gapStart = Math.min(input.gapStart, t);
  for (const next of input.upcoming) {
    if (next <= t) {
      gapStart = Math.max(gapStart, next);
      continue;
    }
    const rate = gapRate(next - gapStart, options.skipIdle, idle);
    const needed = (next - t) / rate;
    if (budget < needed) return { t: t + budget * rate, stalled: false, ended: false };
    budget -= needed;
    t = next;
    gapStart = next;
  }
  if (!input.complete) return { t, stalled: budget > 0, ended: false };
  // After the last event there is nothing left but the time up to the recording's end.
  if (t >= input.endT) return { t: Math.max(t, input.endT), stalled: false, ended: true };
  const rate = gapRate(input.endT - gapStart, options.skipIdle, idle);
  const reached = t + budget * rate;
  return reached >= input.endT
    ? { t: input.endT, stalled: false, ended: true }
    : { t: reached, stalled: false, ended: false };
}

/** How many of the (sorted) upcoming event times are due at recording time t. */
export function dueCount(upcoming: readonly number[], t: number): number {
  let low = 0;
  let high = upcoming.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (upcoming[mid]! <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The index of the last item whose time is at or before t (items sorted by time), or −1.
 * The replay uses it for "which marker are we past" and for local time seeks.
 */
export function lastAtOrBefore<T>(items: readonly T[], t: number, timeOf: (item: T) => number) {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (timeOf(items[mid]!) <= t) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** A duration as a clock reads it: "0:05", "12:40", "1:02:03". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** The same duration in words, for screen readers: "1 minute 5 seconds". */
export function spokenDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(countText(hours, 'hour'));
  if (minutes > 0) parts.push(countText(minutes, 'minute'));
  if (seconds > 0 || parts.length === 0) parts.push(countText(seconds, 'second'));
  return parts.join(' ');
}

/**
 * A time typed by a person, relative to the start: "75" (seconds), "1:15", "0:01:15".
 * Null when it cannot be read.
 */
export function parseClock(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(trimmed)) return null;
  const [whole, fraction = ''] = trimmed.split('.');
  const parts = whole!.split(':').map(Number);
  if (parts.slice(1).some((p) => p >= 60)) return null;
  const seconds = parts.reduce((sum, p) => sum * 60 + p, 0) + Number(`0.${fraction || '0'}`);
  return Math.round(seconds * 1000);
}
