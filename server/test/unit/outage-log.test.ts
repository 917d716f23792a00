/** A warning an outage repeats is logged once a minute, saying how many were left out. */
import type { Logger } from 'pino';
import { afterEach, expect, test, vi } from 'vitest';
import { outageWarning } from '../../src/cluster/outage-log';

afterEach(() => {
  vi.useRealTimers();
});

test('once a minute, with the count of the copies left out', () => {
  vi.useFakeTimers();
  const lines: unknown[][] = [];
  const logger = { warn: (...args: unknown[]) => lines.push(args) } as unknown as Logger;
  const warn = outageWarning(logger, 'redis away', 60_000);
  for (let k = 0; k < 5; k++) warn({ k });
  expect(lines).toEqual([[{ k: 0 }, 'redis away']]);
  vi.advanceTimersByTime(60_000);
  warn({ k: 5 });
  expect(lines.at(-1)).toEqual([{ k: 5, leftOut: 4 }, 'redis away']);
  vi.advanceTimersByTime(60_000);
  warn({ k: 6 });
  expect(lines.at(-1)).toEqual([{ k: 6 }, 'redis away']);
});
