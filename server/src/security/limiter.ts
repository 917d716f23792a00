/**
 * The two shapes of rate limit the server uses, on rate-limiter-flexible's in-memory
 * counters (one process owns every room, so nothing needs sharing). Each answers "allowed"
 * (null) or how many milliseconds until the next attempt may pass.
 */
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../limits';

export interface Limiter {
  /** Counts one attempt: null when allowed, else the wait in ms. */
  take(key: string): Promise<number | null>;
  /** Drops what is kept for `key` (a socket that has gone), with its expiry timer. */
  forget(key: string): void;
}

export interface WindowLimiter extends Limiter {
  /** Whether `key` is over the limit now, without counting: null when not, else the wait. */
  blocked(key: string): Promise<number | null>;
}

/** At most `points` per window of `seconds`, with an optional block once over. */
export function windowLimiter(limit: RateLimit): WindowLimiter {
  const counter = new RateLimiterMemory({
    points: limit.points,
    duration: limit.seconds,
    blockDuration: limit.blockSeconds ?? 0,
  });
  return {
    take: (key) => refusal(counter.consume(key)),
    blocked: async (key) => {
      const res = await counter.get(key);
      return res && res.consumedPoints > limit.points ? Math.max(res.msBeforeNext, 0) : null;
    },
    forget: (key) => void counter.delete(key),
  };
}

/**
 * A token bucket of `perSecond` with bursts up to `burst`: rate-limiter-flexible's
 * BurstyRateLimiter, i.e. `perSecond` per second plus a reserve of `burst − perSecond`
 * that refills over 10 seconds. Close to a classic bucket, without a timer per token.
 */
export function bucketLimiter(perSecond: number, burst: number): Limiter {
  const steady = new RateLimiterMemory({ points: perSecond, duration: 1 });
  const reserve = new RateLimiterMemory({
    keyPrefix: 'burst',
    points: Math.max(burst - perSecond, 0),
    duration: 10,
  });
  const bucket = new BurstyRateLimiter(steady, reserve);
  return {
    take: (key) => refusal(bucket.consume(key)),
    forget: (key) => {
      void steady.delete(key);
      void reserve.delete(key);
    },
  };
}

async function refusal(consumed: Promise<RateLimiterRes>): Promise<number | null> {
  try {
    await consumed;
    return null;
  } catch (rejection) {
    // The in-memory counters reject with a RateLimiterRes; anything else is a real error.
    if (rejection instanceof RateLimiterRes) return Math.max(rejection.msBeforeNext, 0);
    throw rejection;
  }
}
