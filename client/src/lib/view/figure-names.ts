/**
 * The names screen readers read for the figures of play (Figure.svelte: an image named by
 * its number). A figure is drawn at every state shown, ten a second in play, but a name is
 * read only when a reader reaches it: setting seven or more `aria-label`s per state cost a
 * phone ×4 about 0.5 ms of each state's ~8 (bench:client's CPU profile of phone-default). So a
 * figure's name is set at once unless it was set in the current round (NAME_EVERY_MS), and
 * then at the round's end, which sets every figure's newest name in one task: in play, about
 * one name per figure a second; outside play (a step, a pause), at once.
 */

/** A figure's name is at most this much older than its drawing. */
export const NAME_EVERY_MS = 1000;

/** A figure's element, with the text it draws now. */
export type DrawnFigure = Element & { figureText?: string };

type SetTimer = (callback: () => void, ms: number) => unknown;

const browserTimer: SetTimer = (callback, ms) => setTimeout(callback, ms);

/**
 * Names in rounds of NAME_EVERY_MS: a figure's first name in a round is set at once, its
 * later ones wait for the round's end, which sets the newest of each and opens the next
 * round if it set any. No clock is read: performance.now() per name cost 12 ms of the same
 * profile's 10 s, more than the names cost now (7 ms).
 */
export class FigureNames {
  /** Figures named in this round. */
  readonly #named = new Set<Element>();
  /** The newest name of each figure that waits for the round's end. */
  readonly #pending = new Map<Element, string>();
  #roundOpen = false;

  constructor(
    private readonly setTimer: SetTimer = browserTimer,
    private readonly everyMs = NAME_EVERY_MS,
  ) {}

  /** Names `element` by `text`: now, or at the round's end if it was named in this round. */
  name(element: Element, text: string): void {
    // What the figure draws, readable where its name lags (bench:client's step shown, read by
    // e2e/helpers.ts shownText): a property of the element's object, not of the DOM, so it
    // costs no more than any other assignment.
    (element as DrawnFigure).figureText = text;
    if (this.#named.has(element)) {
      this.#pending.set(element, text);
      return;
    }
    this.#set(element, text);
  }

  #endRound(): void {
    this.#roundOpen = false;
    this.#named.clear();
    for (const [element, text] of this.#pending) this.#set(element, text);
    this.#pending.clear();
  }

  #set(element: Element, text: string): void {
    if (element.getAttribute('aria-label') === text) return;
    element.setAttribute('aria-label', text);
    this.#named.add(element);
    if (this.#roundOpen) return;
    this.#roundOpen = true;
    this.setTimer(() => this.#endRound(), this.everyMs);
  }
}

/** The page's figures share one round. */
export const figureNames = new FigureNames();
