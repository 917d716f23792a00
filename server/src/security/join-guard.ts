/**
 * Caps on guessing: failed joins and resumes are counted per client address and per
 * session, and past the limit the address (or the session) is refused for a while.
 * Only failures count (an unknown code, a refused or taken name, a bad or kicked token),
 * so a class of hundreds behind one NAT joining at once is never slowed down.
 *
 * Resumes that succeed always go through, even from a blocked address: they need a
 * participant's token, which cannot be guessed, and a prankster who gets the campus
 * address blocked must not stop the class from reconnecting after a Wi-Fi blip. While
 * blocked, a failing resume is answered 'rate-limited' like anything else, so a blocked
 * guesser learns nothing about which codes exist.
 */
import { fail, type ErrorCode, type Result } from '@backprop/shared/protocol';
import type { Limits } from '../limits';
import { windowLimiter, type SharedCounters, type WindowLimiter } from './limiter';

/** Failures that a guesser or a prankster produces; room states (locked, full…) do not count. */
const COUNTED: ReadonlySet<ErrorCode> = new Set([
  'not-found',
  'bad-request',
  'name-taken',
  'forbidden',
  'kicked',
]);

type Attempt<T> = () => Result<T> | Promise<Result<T>>;

/** Why an attempt is refused up front, and for how long. */
export interface Blocked {
  waitMs: number;
  /** "Too many failed attempts to join from this network." */
  reason: string;
}

export class JoinGuard {
  private readonly perIp: WindowLimiter;
  private readonly perCode: WindowLimiter;

  /**
   * `redis`: in a cluster, the counts are shared by every node, so a guesser gains nothing
   * by spreading attempts over them (limiter.ts).
   */
  constructor(
    limits: Pick<Limits, 'joinFailuresPerIp' | 'joinFailuresPerCode'>,
    redis?: SharedCounters['redis'],
  ) {
    this.perIp = windowLimiter(limits.joinFailuresPerIp, redis && { redis, name: 'join-ip' });
    this.perCode = windowLimiter(limits.joinFailuresPerCode, redis && { redis, name: 'join-code' });
  }

  /** A join: refused up front while the address or the session is blocked. */
  async join<T>(ip: string, code: string, attempt: Attempt<T>): Promise<Result<T>> {
    const blocked = await this.blocked(ip, code);
    if (blocked) return refused(blocked);
    const result = await attempt();
    await this.count(ip, code, result);
    return result;
  }

  /** A resume: a right token always gets in; a wrong one counts and, when blocked, says so. */
  async resume<T>(ip: string, code: string, attempt: Attempt<T>): Promise<Result<T>> {
    const result = await attempt();
    if (result.ok) return result;
    const blocked = await this.blocked(ip, code);
    await this.count(ip, code, result);
    return blocked ? refused(blocked) : result;
  }

  /**
   * An HTTP request with a session's host token (http/host-access.ts), treated as a resume:
   * `allowed` (the right token) always gets in; otherwise — a wrong or missing token, or
   * `allowed` null for an unknown code — it counts as a failed join, and is `Blocked`
   * while the address or the session is. So guessing codes over HTTP uses up the same
   * allowance as guessing them with joins.
   */
  async hostRequest(ip: string, code: string, allowed: boolean | null): Promise<Blocked | null> {
    if (allowed) return null;
    const blocked = await this.blocked(ip, code);
    await this.count(ip, code, fail(allowed === null ? 'not-found' : 'forbidden', ''));
    return blocked;
  }

  private async blocked(ip: string, code: string): Promise<Blocked | null> {
    const ipWait = await this.perIp.blocked(ip);
    if (ipWait !== null) {
      return { waitMs: ipWait, reason: 'Too many failed attempts to join from this network.' };
    }
    const codeWait = await this.perCode.blocked(code);
    if (codeWait !== null) {
      return { waitMs: codeWait, reason: 'Too many failed attempts to join this session.' };
    }
    return null;
  }

  private async count(ip: string, code: string, result: Result<unknown>): Promise<void> {
    if (result.ok || !COUNTED.has(result.error.code)) return;
    await this.perIp.take(ip);
    // An unknown code is nobody's session: counting it would only fill memory.
    if (result.error.code !== 'not-found') await this.perCode.take(code);
  }
}

function refused(blocked: Blocked): Result<never> {
  const seconds = Math.max(1, Math.ceil(blocked.waitMs / 1000));
  return fail('rate-limited', `${blocked.reason} Try again in ${seconds} s.`);
}
