import { defineConfig } from 'vitest/config';

/**
 * Tests that assert latency under load (`*.solo.test.ts`): run after the rest, one file at a
 * time, so the figure they check is the server's and not another test file's CPU.
 */
export default defineConfig({
  test: {
    name: 'solo',
    include: ['server/**/*.solo.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
