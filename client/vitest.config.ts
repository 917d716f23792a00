import { defineProject } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests of the client's logic. The svelte plugin compiles the runes in *.svelte.ts.
export default defineProject({
  plugins: [svelte({ configFile: false })],
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
    // Tests of effects run in their own project (vitest.runes.config.ts).
    exclude: ['test/**/*.svelte.test.ts'],
  },
});
