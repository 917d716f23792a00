/**
 * Room churn: 1 000 rooms created and disposed (through real sockets, see churn-child.ts)
 * leave the heap where it was. Measured in a child process run with --expose-gc, with a
 * tolerant threshold (timers, pools and JIT make a few hundred KB of noise).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const CHILD = fileURLToPath(new URL('./churn-child.ts', import.meta.url));
const MAX_GROWTH_BYTES = 5 * 1024 * 1024;

test(
  '1 000 rooms created and disposed: the heap is back to its baseline',
  { timeout: 120_000 },
  async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', CHILD, '1000'],
        { timeout: 110_000, maxBuffer: 1024 * 1024 },
        (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      rooms: number;
      growth: number;
      left: number;
    };
    expect(result.rooms).toBe(1000);
    expect(result.left).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  },
);
