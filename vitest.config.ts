import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/**/*.test.ts'] } },
      // The benchmarks' own arithmetic (how bench:client reads a trace).
      { test: { name: 'bench', include: ['bench/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          // Measured against latency targets: they run alone, after the rest (vitest.solo.config.ts).
          exclude: ['server/**/*.solo.test.ts'],
          testTimeout: 20_000,
        },
      },
      // Its own config: it needs the svelte plugin, installed in the client workspace.
      'client/vitest.config.ts',
      'client/vitest.runes.config.ts',
    ],
  },
});
