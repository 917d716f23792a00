import { expect, test } from 'vitest';
import { LANES, PanelClock, SETTLE_MS, panelPacer } from '../src/lib/view/panel-clock.svelte';

/** A clock the test turns by hand. */
function fakeTimers() {
  let now = 0;
  let pending: { at: number; run: () => void } | null = null;
  const fake = {
    /** How many timers have fired: each is a task of its own in a browser. */
    fired: 0,
    timers: {
      setTimeout: (run: () => void, ms: number) => (pending = { at: now + ms, run }),
      clearTimeout: () => (pending = null),
    },
    advance(ms: number) {
      const until = now + ms;
      while (pending && pending.at <= until) {
        const { at, run } = pending;
        pending = null;
        now = at;
        fake.fired += 1;
        run();
      }
      now = until;
    },
  };
  return fake;
}

test('each state of play shown is the next lane turn: each of the two lanes gets every other one', () => {
  const clock = new PanelClock(fakeTimers().timers);
  const turns: number[] = [];
  for (let shown = 0; shown < 6; shown++) {
    clock.shown();
    turns.push(clock.turn % LANES);
  }
  expect(turns).toEqual([1, 0, 1, 0, 1, 0]);
});

test('a panel takes every state outside play, in play only when seen and once per turn of its lane', () => {
  const clock = new PanelClock(fakeTimers().timers);
  const lane0 = panelPacer(clock);
  const lane1 = panelPacer(clock);
  const pace = (playing: boolean, seen: boolean) => lane0(playing, seen, 0);
  const other = (playing: boolean, seen: boolean) => lane1(playing, seen, 1);
  expect(pace(false, false)).toBe(true); // outside play: always, even off screen
  expect(pace(true, false)).toBe(false); // off screen in play: never
  expect(other(true, true)).toBe(true); // the first state of play: every lane says it began
  expect(pace(true, true)).toBe(true); // turn 0 is lane 0's, not taken yet
  expect(pace(true, true)).toBe(false); // taken: wait for the next turn
  expect(other(true, true)).toBe(false); // not lane 1's turn
  const turn = () => clock.shown();
  turn();
  expect(pace(true, true)).toBe(false);
  expect(other(true, true)).toBe(true);
  turn();
  expect(pace(true, true)).toBe(true);
  expect(other(true, true)).toBe(false);
  expect(pace(false, true)).toBe(true); // a pause shows the final state at once
});

test('a panel paced every ten turns takes one state in ten, in its lane, and every one outside play', () => {
  const clock = new PanelClock(fakeTimers().timers);
  const pace = panelPacer(clock, 10);
  const taken: number[] = [];
  for (let shown = 0; shown < 30; shown++) {
    clock.shown();
    if (pace(true, true, 0)) taken.push(clock.turn);
  }
  // The first state of play at once (it says that play began), then one in ten.
  expect(taken).toEqual([1, 10, 20, 30]);
  expect(pace(false, true, 0)).toBe(true);
});

test('a phase keeps a once-a-second panel out of the frames of the other lane and of turn 0', () => {
  const clock = new PanelClock(fakeTimers().timers);
  const chart = panelPacer(clock, 10);
  const numbers = panelPacer(clock);
  const status = panelPacer(clock, 10);
  const frames: string[][] = [];
  for (let shown = 0; shown < 20; shown++) {
    clock.shown();
    const drawn = [
      ...(chart(true, true, 4) ? ['chart'] : []),
      ...(numbers(true, true, 1) ? ['numbers'] : []),
      ...(status(true, true, 0) ? ['status'] : []),
    ];
    if (shown > 0 && drawn.length > 0) frames.push([String(clock.turn), ...drawn]);
  }
  // Past the first state of play (which every panel takes), no frame draws two of them.
  expect(frames.filter((f) => f.length > 2)).toEqual([]);
  expect(frames.filter((f) => f.includes('chart')).map((f) => Number(f[0]))).toEqual([4, 14]);
  expect(frames.filter((f) => f.includes('status')).map((f) => Number(f[0]))).toEqual([10, 20]);
});

test('without a clock a seen panel takes every state', () => {
  const pace = panelPacer(null);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, false)).toBe(false);
});

test('play that stalls (no state shown for SETTLE_MS) lets every lane take the newest state', () => {
  const fake = fakeTimers();
  const clock = new PanelClock(fake.timers);
  const lane0 = panelPacer(clock);
  const lane1 = panelPacer(clock);
  // Play begins (every lane takes its first state), then states ten a second: never settled;
  // each lane takes every other one, and no timer fires meanwhile (each would be a task).
  expect([lane0(true, true, 0), lane1(true, true, 1)]).toEqual([true, true]);
  expect(clock.playing).toBe(false);
  for (let k = 0; k < 5; k++) {
    clock.shown();
    fake.advance(100);
  }
  expect(clock.settled).toBe(false);
  expect(clock.playing).toBe(true);
  expect(fake.fired).toBe(0);
  expect([lane0(true, true, 0), lane1(true, true, 1)].filter(Boolean)).toHaveLength(1);
  // Then nothing (the store away, a network hiccup): both lanes catch up with the last state.
  fake.advance(SETTLE_MS);
  expect(clock.settled).toBe(true);
  expect(clock.playing).toBe(false);
  expect(lane0(true, true, 0)).toBe(true);
  expect(lane1(true, true, 1)).toBe(true);
  // Play goes on: turns again.
  clock.shown();
  expect(clock.settled).toBe(false);
  expect(clock.playing).toBe(true);
});
