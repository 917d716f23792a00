/**
 * No work for what nobody sees: whether an element is on screen (near the viewport) and its
 * tab is shown. A view that is not seen keeps what it last drew and catches up, with the
 * newest state only, when it comes back into view.
 */

/**
 * How near the viewport a view counts as seen: in it. During play a student's panels take
 * a new state at most five times a second anyway (panel-clock.svelte.ts), so one scrolled
 * into view is as fresh at its next turn as a margin would make it, and a panel just below
 * the fold (the numbers, on a phone) is not redrawn for nobody.
 */
const MARGIN = '0px';

export class OnScreen {
  #inView = $state(true);
  #tabShown = $state(true);

  /** In (or near) the viewport, in a shown tab. True where the browser cannot tell. */
  get visible(): boolean {
    return this.#inView && this.#tabShown;
  }

  /** An attachment (`{@attach onScreen.watch}`) for the element whose visibility counts. */
  watch = (element: Element): (() => void) | void => {
    if (typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        const latest = entries.at(-1);
        if (latest) this.#inView = latest.isIntersecting;
      },
      { rootMargin: MARGIN },
    );
    observer.observe(element);
    const onVisibility = () => (this.#tabShown = document.visibilityState !== 'hidden');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      observer.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  };
}
