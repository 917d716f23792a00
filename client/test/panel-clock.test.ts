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
      now += ms;
      if (pending && pending.at <= now) {
        const { run } = pending;
        pending = null;
        run();
      }
    },
  };
}

test("the panels' turn comes halfway between two shown states, at most every PANEL_FRAME_MS", () => {
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
  // A turn 50 ms after every other shown state: five a second, none at a shown state.
  expect(turns).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
});

test('a stopped clock takes no turn', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(50, fake.timers);
  clock.shown();
  clock.stop();
  fake.advance(100);
  expect(clock.turn).toBe(0);
});

test('a panel takes every state outside play, in play only when seen and once per turn', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(50, fake.timers);
  const pace = panelPacer(clock);
  expect(pace(false, false)).toBe(true); // outside play: always, even off screen
  expect(pace(true, false)).toBe(false); // off screen in play: never
  expect(pace(true, true)).toBe(true); // the current turn, not taken yet
  expect(pace(true, true)).toBe(false); // taken: wait for the next turn
  clock.shown();
  fake.advance(50);
  expect(pace(true, true)).toBe(true);
  expect(pace(false, true)).toBe(true); // a pause shows the final state at once
});

test('without a clock a seen panel takes every state', () => {
  const pace = panelPacer(null);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, false)).toBe(false);
});
