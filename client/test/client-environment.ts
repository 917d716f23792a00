/**
 * Node, but with modules transformed as for the browser: Svelte's client runtime, so a
 * test's $effect.root and flushSync run effects (the default node environment compiles
 * runes for the server, where effects never run). The environment of the client-runes
 * project (vitest.runes.config.ts).
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'client-node',
  viteEnvironment: 'client',
  setup: () => ({ teardown: () => {} }),
} satisfies Environment;
