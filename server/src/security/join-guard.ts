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
import { windowLimiter, type WindowLimiter } from './limiter';

/** Failures that a guesser or a prankster produces; room states (locked, full…) do not count. */
const COUNTED: ReadonlySet<ErrorCode> = new Set([
  'not-found',
  'bad-request',
  'name-taken',
  'forbidden',
  'kicked',
]);

type Attempt<T> = () => Result<T> | Promise<Result<T>>;

export class JoinGuard {
  private readonly perIp: WindowLimiter;
  private readonly perCode: WindowLimiter;

  constructor(limits: Pick<Limits, 'joinFailuresPerIp' | 'joinFailuresPerCode'>) {
    this.perIp = windowLimiter(limits.joinFailuresPerIp);
    this.perCode = windowLimiter(limits.joinFailuresPerCode);
  }

  /** A join: refused up front while the address or the session is blocked. */
  async join<T>(ip: string, code: string, attempt: Attempt<T>): Promise<Result<T>> {
    const refusal = await this.refusal(ip, code);
    if (refusal) return refusal;
    const result = await attempt();
    await this.count(ip, code, result);
    return result;
  }

  /** A resume: a right token always gets in; a wrong one counts and, when blocked, says so. */
  async resume<T>(ip: string, code: string, attempt: Attempt<T>): Promise<Result<T>> {
    const result = await attempt();
    if (result.ok) return result;
    const refusal = await this.refusal(ip, code);
    await this.count(ip, code, result);
    return refusal ?? result;
  }

  private async refusal(ip: string, code: string): Promise<Result<never> | null> {
    const ipWait = await this.perIp.blocked(ip);
    if (ipWait !== null) {
      return fail(
        'rate-limited',
        `Too many failed attempts to join from this network. Try again in ${seconds(ipWait)}.`,
      );
    }
    const codeWait = await this.perCode.blocked(code);
    if (codeWait !== null) {
      return fail(
        'rate-limited',
        `Too many failed attempts to join this session. Try again in ${seconds(codeWait)}.`,
      );
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

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}
