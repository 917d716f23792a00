/**
 * What a socket's 'error' event logs: socket.io emits one for every malformed packet
 * (then closes the connection). A stack trace says nothing about a stranger's bytes and
 * costs a kilobyte a line, and one address can send them nonstop: one line without the
 * stack, at most one per address every LOG_EVERY_SECONDS, with how many were left out.
 */
import type { Logger } from 'pino';
import { windowLimiter } from '../security/limiter';

const LOG_EVERY_SECONDS = 10;

export function socketErrorLog(logger: Logger): (ip: string, socket: string, err: unknown) => void {
  const lines = windowLimiter({ points: 1, seconds: LOG_EVERY_SECONDS });
  const unlogged = new Map<string, number>();
  return (ip, socket, err) => {
    const reason = err instanceof Error ? err.message : String(err);
    void lines.take(ip).then((wait) => {
      if (wait !== null) {
        unlogged.set(ip, (unlogged.get(ip) ?? 0) + 1);
        return;
      }
      const skipped = unlogged.get(ip) ?? 0;
      unlogged.delete(ip);
      logger.warn({ ip, socket, reason: reason.slice(0, 200), skipped }, 'socket error');
    });
  };
}
