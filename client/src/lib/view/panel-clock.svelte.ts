/**
 * When a student's panels (diagram, inspector, numbers, stage track, output heatmap, loss
 * chart) take a new state during play. A phone's frame is cheap only if it draws
 * little, and every frame the browser renders has a fixed cost (style, layout, paint) however
 * little changed: so the panels draw in the frames in which the page shows a state anyway
 * (ten a second, STUDENT_FRAME_MS), never in frames of their own, and in two lanes that take
 * turns (the diagram's elements in one, the canvases and the rest in the other), so that no
 * frame draws them all: each lane takes every other state shown, five a second. Numbers
 * that change twenty times a second cannot be read anyway; the status bar's step, drawn at
 * every state shown, says where play is. Outside play a panel takes every change at once
 * (WhenSeen).
 */
import { getContext, setContext } from 'svelte';

/** Lanes of panels taking turns, one lane per state shown. */
export const LANES = 2;
export type Lane = 0 | 1;

/**
 * No state of play shown for this long: play has stalled (the store away, a network hiccup;
 * a pause comes as a state of its own), and every lane takes the newest state, so that no
 * panel stays a turn behind the status bar.
 */
export const SETTLE_MS = 300;

type Timers = {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (timer: unknown) => void;
};

const browserTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class PanelClock {
  /** Counts the panels' turns: a panel that reads it takes the newest state at each. */
  turn = $state(0);
  /** Play has stalled: every lane takes the newest state (SETTLE_MS). */
  settled = $state(false);
  #playing = $state(false);
  readonly #timers: Timers;
  #timer: unknown = null;

  constructor(timers: Timers = browserTimers) {
    this.#timers = timers;
  }

  /** The page is showing a new state of play: the next lane's turn, in the same frame. */
  shown(): void {
    this.turn += 1;
    this.settled = false;
    this.#playing = true;
    // A timer set again at each state shown, that fires only once play stalls: setting and
    // clearing one costs microseconds, while the timer that fired to look again (4.7 times a
    // second in play) cost a phone ×4 a task of ~1.2 ms each time (bench:client's traces).
    this.stop();
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.settled = true;
      this.#playing = false;
    }, SETTLE_MS);
  }

  /**
   * States of play are being shown (from the first until play stalls or stops). Unlike
   * `turn`, it changes only then: what reads it is not run again at every state.
   */
  get playing(): boolean {
    return this.#playing;
  }

  stop(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }
}

const KEY = Symbol('panel-clock');

export function providePanelClock(clock: PanelClock): void {
  setContext(KEY, clock);
}

/** The page's panel clock; null where there is none (every state is taken at once). */
export function usePanelClock(): PanelClock | null {
  return getContext<PanelClock | undefined>(KEY) ?? null;
}

/**
 * For WhenSeen's `shown`: whether a panel takes the newest state now. Outside play, always;
 * in play, only when it is seen, and (with a clock) at its turns, at the first state of play,
 * or whenever play has stalled. Its turns are those whose number is `phase` modulo `every`:
 * with `every` = LANES, the turns of lane `phase`. A larger `every` (a multiple of LANES)
 * spaces the turns out: a panel paced every 10 takes one state in ten shown (a second of
 * play), in the frames of lane `phase % LANES`, and its phase can keep it out of the frames
 * in which other once-a-second work is drawn.
 * Reads the clock's turn, so that a `$derived` over it runs again at each turn.
 */
export function panelPacer(
  clock: PanelClock | null,
  every: number = LANES,
): (playing: boolean, seen: boolean, phase?: number) => boolean {
  let taken = -1;
  let inPlay = false;
  return (playing, seen, phase = 0) => {
    const turn = clock?.turn ?? 0;
    const settled = clock?.settled ?? false;
    // The first state of play is taken at once: a panel says that play has begun.
    const starting = playing && !inPlay;
    inPlay = playing;
    if (!playing) return true;
    if (!seen) return false;
    if (clock === null || settled || starting) {
      taken = turn;
      return true;
    }
    if (turn === taken || turn % every !== phase) return false;
    taken = turn;
    return true;
  };
}
