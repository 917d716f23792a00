/**
 * Counting down to a server deadline (a quiz's `closesAt`) on a phone whose clock may be
 * off by seconds or minutes. Every live event carries the server's time `t`; the smallest
 * recent (arrival − t) is the clock difference plus the shortest network delay, which is
 * the best estimate available without a dedicated time protocol.
 */

import { countText } from '../plural';
/** Recent samples kept: enough to find a quick delivery, few enough to follow a clock change. */
const SAMPLES = 32;

/** Something that tells the server's time: the live estimate, or a replay's playhead. */
export interface Clock {
  now(): number;
}

export class ServerClock implements Clock {
  #samples: number[] = [];

  /** An event stamped `serverTime` arrived at local time `localTime` (both ms). */
  observe(serverTime: number, localTime: number = Date.now()): void {
    if (!Number.isFinite(serverTime) || !Number.isFinite(localTime)) return;
    this.#samples.push(localTime - serverTime);
    if (this.#samples.length > SAMPLES) this.#samples.shift();
  }

  /** How far the local clock is ahead of the server's (ms); 0 until an event has arrived. */
  get offset(): number {
    return this.#samples.length === 0 ? 0 : Math.min(...this.#samples);
  }

  /** The server's time now, as well as this client can tell. */
  now(localTime: number = Date.now()): number {
    return localTime - this.offset;
  }
}

/** Milliseconds left until `deadline` (server time), never negative. */
export function remainingMs(deadline: number, serverNow: number): number {
  return Math.max(0, deadline - serverNow);
}

/**
 * Time left as a clock reads: '0:25', '1:05', '0:00'. Rounded up, so '0:01' is shown until
 * the deadline itself and '0:00' means it has passed.
 */
export function countdownText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** The same in words for screen readers: '25 seconds left', '1 minute 5 seconds left'. */
export function countdownWords(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total === 0) return 'time is up';
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes > 0) parts.push(countText(minutes, 'minute'));
  if (seconds > 0) parts.push(countText(seconds, 'second'));
  return `${parts.join(' ')} left`;
}
