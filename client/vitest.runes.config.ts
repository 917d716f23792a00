import { defineProject } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests of the client's effects (*.svelte.test.ts, driven with $effect.root and
// flushSync): compiled and resolved as for the browser, where effects run. The default node
// environment gets Svelte's server runtime, in which no effect ever runs.
export default defineProject({
  plugins: [svelte({ configFile: false })],
  resolve: { conditions: ['browser'] },
  test: {
    name: 'client-runes',
    include: ['test/**/*.svelte.test.ts'],
    environment: './test/client-environment.ts',
    // Svelte itself through vite too, or node would load its server build.
    server: { deps: { inline: ['svelte'] } },
  },
});
