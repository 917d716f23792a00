import { flushSync } from 'svelte';
import { expect, test } from 'vitest';
import { steady, takenAt } from '../src/lib/view/steady.svelte';

/**
 * A session that changes at every state, and what reads a part of it that does not: through
 * a steady value, the reader runs only when that part changes; through a derived, Svelte
 * re-runs it at every state once another of its inputs has changed without changing it.
 */
function setup(through: 'steady' | 'derived') {
  const session = $state({ state: { step: 0, playing: true } });
  const other = $state({ value: 0 });
  const runs = { count: 0 };
  const stop = $effect.root(() => {
    const playing =
      through === 'steady'
        ? steady(() => session.state.playing)
        : {
            get current() {
              return derivedPlaying;
            },
          };
    const derivedPlaying = $derived(session.state.playing);
    const label = $derived.by(() => {
      runs.count++;
      return `${other.value > 100 ? 'long' : 'short'}, ${playing.current ? 'playing' : 'paused'}`;
    });
    $effect(() => {
      void label;
    });
  });
  flushSync();
  return { session, other, runs, stop };
}

test('a steady value wakes its readers only when it changes', () => {
  for (const through of ['steady', 'derived'] as const) {
    const { session, other, runs, stop } = setup(through);
    other.value = 1; // the label's other input changes once, the label does not
    flushSync();
    const before = runs.count;
    for (let step = 1; step <= 5; step++) {
      session.state = { step, playing: true };
      flushSync();
    }
    const reruns = runs.count - before;
    if (through === 'steady') expect(reruns).toBe(0);
    else expect(reruns).toBeGreaterThan(0); // why steady() exists; if Svelte changes, it may go
    session.state = { step: 6, playing: false };
    flushSync();
    expect(runs.count - before - reruns).toBe(1);
    stop();
  }
});

test('takenAt takes the newest value at its moments only, and reads it only then', () => {
  const source = $state({ value: 1, take: true });
  let reads = 0;
  let runs = 0;
  const stop = $effect.root(() => {
    const taken = takenAt(
      () => source.take,
      () => (reads++, source.value),
    );
    $effect(() => {
      runs++;
      void taken.current;
    });
  });
  flushSync();
  expect([reads, runs]).toEqual([2, 1]); // the first value at once (and the first moment)
  source.take = false;
  source.value = 2;
  flushSync();
  source.value = 3;
  flushSync();
  expect([reads, runs]).toEqual([2, 1]); // not read, and its reader not woken, in between
  source.take = true;
  flushSync();
  expect([reads, runs]).toEqual([3, 2]);
  stop();
});

test('takenAt has a value to show before its first moment', () => {
  const stop = $effect.root(() => {
    const taken = takenAt(
      () => false,
      () => 'first',
    );
    expect(taken.current).toBe('first');
  });
  stop();
});
