import { expect, test } from 'vitest';
import { FigureNames, type DrawnFigure } from '../src/lib/view/figure-names';

/** An element that counts its attribute writes, and a clock whose timers the test fires. */
function setup() {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  const names = new FigureNames((callback, ms) => timers.push({ at: now + ms, callback }));
  const advance = (ms: number) => {
    now += ms;
    for (const due of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(due), 1);
      due.callback();
    }
  };
  const figure = () => {
    const attributes = new Map<string, string>();
    let writes = 0;
    const element = {
      getAttribute: (name: string) => attributes.get(name) ?? null,
      setAttribute: (name: string, value: string) => {
        writes++;
        attributes.set(name, value);
      },
    } as unknown as Element;
    return { element, label: () => attributes.get('aria-label'), writes: () => writes };
  };
  return { names, advance, figure, timers };
}

test('a figure is named at once, then at most once a second, always ending on its newest text', () => {
  const { names, advance, figure, timers } = setup();
  const step = figure();
  names.name(step.element, '1');
  expect(step.label()).toBe('1');
  // Play: ten texts a second.
  for (let k = 2; k <= 25; k++) {
    advance(100);
    names.name(step.element, String(k));
  }
  // 2.4 s of play: named at 0, then by the rounds at 1 s and 2 s.
  expect(step.writes()).toBe(3);
  expect(step.label()).toBe('20');
  // What it draws is kept beside its name, for what reads the screen (bench:client).
  expect((step.element as DrawnFigure).figureText).toBe('25');
  // Play stops: the newest text is the name within the second.
  advance(1000);
  expect(step.label()).toBe('25');
  // A round that names nothing opens no other.
  advance(1000);
  expect(timers).toHaveLength(0);
  // Outside play a new text is named at once.
  names.name(step.element, '26');
  expect(step.label()).toBe('26');
});

test("the figures' pending names are set in one round; an unchanged name is not written", () => {
  const { names, advance, figure, timers } = setup();
  const step = figure();
  const loss = figure();
  names.name(step.element, '1');
  names.name(loss.element, '0.5');
  advance(100);
  names.name(step.element, '2');
  names.name(loss.element, '0.4');
  expect(timers).toHaveLength(1);
  advance(900);
  expect([step.label(), loss.label()]).toEqual(['2', '0.4']);
  advance(1000);
  names.name(loss.element, '0.4');
  expect(loss.writes()).toBe(2);
});
