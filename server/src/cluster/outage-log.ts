/**
 * Warnings that an outage repeats (Redis away: every reconnection attempt, every look of
 * the failover watch, every command that needs a room's owner) are logged at most once a
 * minute each, with how many were left out, so that an operator's log shows the outage
 * and not thousands of copies of it.
 */
import type { Logger } from 'pino';

export const OUTAGE_WARNING_EVERY_MS = 60_000;

export function outageWarning(
  logger: Logger,
  message: string,
  everyMs = OUTAGE_WARNING_EVERY_MS,
): (fields: Record<string, unknown>) => void {
  let last: number | null = null;
  let leftOut = 0;
  return (fields) => {
    const now = Date.now();
    if (last !== null && now - last < everyMs) {
      leftOut++;
      return;
    }
    logger.warn({ ...fields, ...(leftOut > 0 ? { leftOut } : {}) }, message);
    last = now;
    leftOut = 0;
  };
}
