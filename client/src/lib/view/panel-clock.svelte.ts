/**
 * When a student's panels (diagram, inspector, numbers, stage track, output heatmap) take a
 * new state during play. A phone's frame is cheap only if it draws little: the status bar
 * and the status line take every state the page shows (10 a second, STUDENT_FRAME_MS), and
 * the panels take the newest one five times a second, in frames of their own, halfway
 * between two of the status bar's, so that no frame draws both. The panels are in two
 * lanes that take turns (the diagram's elements in one, the canvases and the rest in the
 * other), so that no frame draws them all either. Numbers that change twenty times a second
 * cannot be read anyway; the step in the status bar says where play is. Outside play a
 * panel takes every change at once (WhenSeen).
 */
import { getContext, setContext } from 'svelte';

/** How often each panel takes a new state during play. */
export const PANEL_FRAME_MS = 200;
/** Lanes of panels taking turns: a turn every PANEL_FRAME_MS / LANES. */
export const LANES = 2;
export type Lane = 0 | 1;

type Timers = {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (timer: unknown) => void;
  now: () => number;
};

const browserTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export class PanelClock {
  /** Counts the panels' turns: a panel that reads it takes the newest state at each. */
  turn = $state(0);
  readonly #offsetMs: number;
  readonly #timers: Timers;
  #turnAt = -Infinity;
  #timer: unknown = null;

  /** `offsetMs`: how long after the page shows a state the panels take theirs. */
  constructor(offsetMs: number, timers: Timers = browserTimers) {
    this.#offsetMs = offsetMs;
    this.#timers = timers;
  }

  /** The page just showed a state of play: the next turn comes `offsetMs` later, if due. */
  shown(): void {
    if (this.#timer !== null) return;
    const due = this.#turnAt + PANEL_FRAME_MS / LANES - this.#timers.now();
    // Due by the time the turn would come: a turn a little early beats one a frame late.
    if (due > this.#offsetMs) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#turnAt = this.#timers.now();
      this.turn += 1;
    }, this.#offsetMs);
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
 * For WhenSeen's `shown`: whether a panel in `lane` takes the newest state now. Outside
 * play, always; in play, only when it is seen, and (with a clock) once per turn of its lane.
 * Reads the clock's turn, so that a `$derived` over it runs again at each turn.
 */
export function panelPacer(
  clock: PanelClock | null,
): (playing: boolean, seen: boolean, lane?: Lane) => boolean {
  let taken = -1;
  return (playing, seen, lane = 0) => {
    const turn = clock?.turn ?? 0;
    if (!playing) return true;
    if (!seen) return false;
    if (clock === null) return true;
    if (turn === taken || turn % LANES !== lane) return false;
    taken = turn;
    return true;
  };
}
