/**
 * Idempotent sends for the student commands that carry a `key` (student:propose, vote,
 * answer; docs/protocol.md, "Idempotency keys"). A key names one press of a button: a new
 * press gets a new key, and only a resend of the same press reuses it, so the server
 * answers a resent proposal with the first answer instead of recording it twice.
 *
 * "The same press" is a slot (which command, e.g. 'vote:v40') plus the payload without its
 * key. An attempt whose answer never came (a timeout, or the phone was offline) stays
 * pending: pressing the same button again, or the automatic retry, resends it with its
 * key. Any answer from the server ends the attempt: a success is done, and a refusal
 * changed nothing, so a later press is judged afresh with a new key.
 */

export interface SendError {
  code: string;
  message: string;
  retryAfterMs?: number;
}
export type Sent<T> = ({ ok: true } & T) | { ok: false; error: SendError };

/** The answers after which nobody knows whether the server acted: resend with the same key. */
export function isUnanswered(result: Sent<object>): boolean {
  return !result.ok && (result.error.code === 'timeout' || result.error.code === 'offline');
}

/**
 * A fresh key: crypto.randomUUID where the browser has it (36 characters of 0-9 a-f and
 * '-', which the key schema allows); otherwise 32 hex digits from getRandomValues, since
 * randomUUID exists only in secure contexts and a classroom server on a LAN address over
 * plain http is not one.
 */
export function newKey(source: Pick<Crypto, 'getRandomValues'> & Partial<Crypto> = crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Pending {
  fingerprint: string;
  key: string;
}

export class Attempts {
  readonly #pending = new Map<string, Pending>();
  readonly #makeKey: () => string;

  constructor(makeKey: () => string = () => newKey()) {
    this.#makeKey = makeKey;
  }

  /** The key for sending `payload` in `slot`: the pending attempt's if it is the same intent. */
  keyFor(slot: string, payload: object): string {
    const fingerprint = JSON.stringify(payload);
    const pending = this.#pending.get(slot);
    if (pending?.fingerprint === fingerprint) return pending.key;
    const key = this.#makeKey();
    this.#pending.set(slot, { fingerprint, key });
    return key;
  }

  /** The server's answer (or its absence) for the attempt sent with `key`. */
  settle(slot: string, key: string, result: Sent<object>): void {
    if (isUnanswered(result)) return;
    if (this.#pending.get(slot)?.key === key) this.#pending.delete(slot);
  }

  /** Whether a press in `slot` is waiting to be resent. */
  isPending(slot: string): boolean {
    return this.#pending.has(slot);
  }

  /** Whether the attempt sent with `key` is still the slot's current one. */
  holds(slot: string, key: string): boolean {
    return this.#pending.get(slot)?.key === key;
  }
}

export interface RetryOptions {
  /** Resends after an unanswered attempt (each with the same key). */
  retries?: number;
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends `payload` with the slot's key, resending with the same key while unanswered (up to
 * `retries` times, `delayMs` apart: a reconnect usually takes a second or two).
 */
export async function sendWithKey<P extends object, T extends object>(
  attempts: Attempts,
  slot: string,
  payload: P,
  send: (payload: P & { key: string }) => Promise<Sent<T>>,
  { retries = 2, delayMs = 1500, sleep = wait }: RetryOptions = {},
): Promise<Sent<T>> {
  const key = attempts.keyFor(slot, payload);
  let result = await send({ ...payload, key });
  for (let k = 0; k < retries && isUnanswered(result); k++) {
    await sleep(delayMs);
    // Another press may have replaced this attempt meanwhile: then that one is in charge.
    if (!attempts.holds(slot, key)) break;
    result = await send({ ...payload, key });
  }
  attempts.settle(slot, key, result);
  return result;
}
