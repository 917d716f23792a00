/**
 * The two shapes of rate limit the server uses, on rate-limiter-flexible's counters. Each
 * answers "allowed" (null) or how many milliseconds until the next attempt may pass.
 *
 * Counters are in memory, per process; in a cluster, the limits that a client could
 * dodge by reaching another node (failed joins per address and per session, see
 * join-guard.ts) are kept in Redis instead, shared by every node. While Redis is away
 * each node falls back to its own in-memory counter (rate-limiter-flexible's insurance
 * limiter), so limits keep holding, per node, rather than failing open or refusing all.
 */
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { RedisClientType } from 'redis';
import type { RateLimit } from '../limits';

/** Counters kept in Redis, under `name` (one name per limit: they must not share keys). */
export interface SharedCounters {
  redis: RedisClientType;
  name: string;
}

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
export function windowLimiter(limit: RateLimit, shared?: SharedCounters): WindowLimiter {
  const options = {
    points: limit.points,
    duration: limit.seconds,
    blockDuration: limit.blockSeconds ?? 0,
  };
  const memory = new RateLimiterMemory(options);
  const counter: RateLimiterAbstract = shared
    ? new RateLimiterRedis({
        ...options,
        storeClient: shared.redis,
        useRedisPackage: true,
        keyPrefix: `bpl:limit:${shared.name}`,
        // Not connected: answer from memory at once instead of queueing behind a reconnect.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
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
