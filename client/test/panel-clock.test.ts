import { expect, test } from 'vitest';
import { PanelClock, panelPacer } from '../src/lib/view/panel-clock.svelte';

/** A clock the test turns by hand. */
function fakeTimers() {
  let now = 0;
  let pending: { at: number; run: () => void } | null = null;
  return {
    timers: {
      setTimeout: (run: () => void, ms: number) => (pending = { at: now + ms, run }),
      clearTimeout: () => (pending = null),
      now: () => now,
    },
    advance(ms: number) {
      const until = now + ms;
      if (pending && pending.at <= until) {
        const { at, run } = pending;
        pending = null;
        now = at;
        run();
      }
      now = until;
    },
  };
}

test('a turn comes halfway between two shown states, the lanes taking turns', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(50, fake.timers);
  const turns: number[] = [];
  // The page shows a state every 100 ms for a second.
  for (let t = 0; t < 1000; t += 100) {
    clock.shown();
    fake.advance(50);
    turns.push(clock.turn);
    fake.advance(50);
  }
  // A turn 50 ms after each shown state, none at a shown state: each of the two lanes
  // gets five a second.
  expect(turns).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('a stopped clock takes no turn', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(50, fake.timers);
  clock.shown();
  clock.stop();
  fake.advance(100);
  expect(clock.turn).toBe(0);
});

test('a panel takes every state outside play, in play only when seen and once per turn of its lane', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(50, fake.timers);
  const lane0 = panelPacer(clock);
  const lane1 = panelPacer(clock);
  const pace = (playing: boolean, seen: boolean) => lane0(playing, seen, 0);
  const other = (playing: boolean, seen: boolean) => lane1(playing, seen, 1);
  expect(pace(false, false)).toBe(true); // outside play: always, even off screen
  expect(pace(true, false)).toBe(false); // off screen in play: never
  expect(pace(true, true)).toBe(true); // turn 0 is lane 0's, not taken yet
  expect(pace(true, true)).toBe(false); // taken: wait for the next turn
  expect(other(true, true)).toBe(false); // not lane 1's turn
  const turn = () => {
    clock.shown();
    fake.advance(100);
  };
  turn();
  expect(pace(true, true)).toBe(false);
  expect(other(true, true)).toBe(true);
  turn();
  expect(pace(true, true)).toBe(true);
  expect(other(true, true)).toBe(false);
  expect(pace(false, true)).toBe(true); // a pause shows the final state at once
});

test('without a clock a seen panel takes every state', () => {
  const pace = panelPacer(null);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, false)).toBe(false);
});
