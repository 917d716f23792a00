/** Every command answers through its acknowledgement with one of these. */
export type Result<T = object> = ({ ok: true } & T) | { ok: false; error: CommandError };

export interface CommandError {
  code: ErrorCode;
  message: string;
  /**
   * With 'rate-limited': how long until the limit lifts, so a client can clear its message
   * then. With 'busy': the session's server node is slow or moving (cluster mode), and the
   * client should try again after this long (a join with the same key: docs/protocol.md);
   * a 'busy' without it (a full session or server) is not worth retrying soon.
   */
  retryAfterMs?: number;
}

export type ErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'forbidden'
  | 'locked'
  | 'ended'
  | 'name-taken'
  | 'kicked'
  | 'busy'
  | 'rate-limited'
  | 'diverged'
  /** A proposal round, vote or quiz that is closed, or a stale id from before a reconnect. */
  | 'closed'
  /**
   * The recordings store (SQLite or Postgres) cannot commit right now: nothing was done,
   * and the session goes on by itself once the store is back. The message is always
   * STORE_UNAVAILABLE_MESSAGE.
   */
  | 'unavailable'
  | 'internal';

/** The message of every 'unavailable' answer (commands and HTTP alike). */
export const STORE_UNAVAILABLE_MESSAGE = 'the recordings store is unavailable';

export type Ack<T = object> = (result: Result<T>) => void;

export function fail(
  code: ErrorCode,
  message: string,
  retryAfterMs?: number,
): { ok: false; error: CommandError } {
  const error: CommandError =
    retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  return { ok: false, error };
}
