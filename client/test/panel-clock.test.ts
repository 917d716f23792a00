import { expect, test } from 'vitest';
import { LANES, PanelClock, panelPacer } from '../src/lib/view/panel-clock.svelte';

test('each state of play shown is the next lane turn: each of the two lanes gets every other one', () => {
  const clock = new PanelClock();
  const turns: number[] = [];
  for (let shown = 0; shown < 6; shown++) {
    clock.shown();
    turns.push(clock.turn % LANES);
  }
  expect(turns).toEqual([1, 0, 1, 0, 1, 0]);
});

test('a panel takes every state outside play, in play only when seen and once per turn of its lane', () => {
  const clock = new PanelClock();
  const lane0 = panelPacer(clock);
  const lane1 = panelPacer(clock);
  const pace = (playing: boolean, seen: boolean) => lane0(playing, seen, 0);
  const other = (playing: boolean, seen: boolean) => lane1(playing, seen, 1);
  expect(pace(false, false)).toBe(true); // outside play: always, even off screen
  expect(pace(true, false)).toBe(false); // off screen in play: never
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

test('without a clock a seen panel takes every state', () => {
  const pace = panelPacer(null);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, true)).toBe(true);
  expect(pace(true, false)).toBe(false);
});
