/**
 * When a chart redraws (ui/LineChart.svelte: the loss chart, the race chart). The session
 * state is replaced up to 20 times a second while training; a chart takes the newest of it at
 * most every CHART_REDRAW_MS, and nothing while it is off screen or its tab hidden.
 */
import { OnScreen } from './on-screen.svelte';

/**
 * At most this often a chart takes new points while they stream in: four updates a second
 * read as continuous for a loss curve. The newest points win; the last ones are always drawn,
 * at once when the source says no more are coming.
 */
export const CHART_REDRAW_MS = 250;

export interface LiveChartSource<T> {
  /** The element whose visibility counts; undefined until it is mounted. */
  container: () => HTMLElement | undefined;
  /** What is drawn: read in an effect, a redraw for each new value. */
  data: () => T;
  /**
   * Whether more points are coming (a race running, training playing): only then are
   * redraws held back to CHART_REDRAW_MS. Once it is false the points are final and drawn
   * at once, with the words beside the chart ("Finished.") rather than up to a redraw
   * later. Always streaming when absent.
   */
  streaming?: () => boolean;
  draw: (data: T) => void;
}

/** Sets up the effects that redraw a chart: call it while a component initialises. */
export function liveChart<T>(source: LiveChartSource<T>): void {
  const screen = new OnScreen();
  $effect(() => {
    const el = source.container();
    if (el) return screen.watch(el);
  });

  let drawnAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: { data: T } | null = null;
  const draw = () => {
    timer = null;
    drawnAt = performance.now();
    if (latest) source.draw(latest.data);
    latest = null;
  };
  $effect(() => {
    if (!screen.visible) return;
    latest = { data: source.data() };
    const streaming = source.streaming?.() ?? true;
    const wait = streaming ? drawnAt + CHART_REDRAW_MS - performance.now() : 0;
    if (wait > 0) {
      timer ??= setTimeout(draw, wait);
      return;
    }
    if (timer !== null) clearTimeout(timer);
    draw();
  });
  $effect(() => () => {
    if (timer !== null) clearTimeout(timer);
  });
}
