/**
 * A uPlot chart's life in a component (the loss chart, the race chart). The session state
 * is replaced up to 20 times a second while training: the chart is created once, fed with
 * setData, and rebuilt only for what uPlot cannot change in place (a scale type, a number
 * of series).
 */
import { untrack } from 'svelte';
import type uPlot from 'uplot';
import { OnScreen } from './on-screen.svelte';
import { mountChart } from './uplot-chart';

/**
 * At most this often a chart takes new points: a redraw of a uPlot chart (axes, text,
 * paths) is the costliest thing on a phone's frame, and four updates a second read as
 * continuous for a loss curve. The newest points win; the last ones are always drawn, at
 * once when the source says no more are coming.
 */
export const CHART_REDRAW_MS = 250;

export interface LiveChartSource {
  /** The element to draw in; undefined until it is mounted. */
  container: () => HTMLElement | undefined;
  /** What the chart is rebuilt for: everything this reads, and nothing else. */
  rebuildOn: () => unknown;
  /** Read when the chart is built, untracked: a change here alone does not rebuild it. */
  options: (width: number) => uPlot.Options;
  data: () => uPlot.AlignedData;
  /** Height in CSS pixels; the width follows the container. */
  height: () => number;
  /**
   * Whether more points are coming (a race running, training playing): only then are
   * updates held back to CHART_REDRAW_MS. Once it is false the points are final and drawn
   * at once, with the words beside the chart ("Finished.") rather than up to a redraw
   * later. Always streaming when absent.
   */
  streaming?: () => boolean;
}

/**
 * Sets up the effects that build, feed and resize a chart: call it while a component
 * initialises. `chart` is the chart of the moment (null while there is none), for a
 * component that has more to say to it, such as a redraw.
 */
export function liveChart(source: LiveChartSource): { readonly chart: uPlot | null } {
  // Not reactive on purpose: the chart is a DOM library object, driven from the effects.
  let chart: uPlot | null = null;
  // Nothing drawn while the chart is off screen or its tab hidden.
  const screen = new OnScreen();
  $effect(() => {
    const el = source.container();
    if (el) return screen.watch(el);
  });

  $effect(() => {
    const el = source.container();
    source.rebuildOn();
    if (!el) return;
    const mounted = untrack(() => mountChart(el, source.options, source.data(), source.height));
    chart = mounted.chart;
    return () => {
      mounted.destroy();
      if (chart === mounted.chart) chart = null;
    };
  });

  // New points: hand them over without rebuilding the chart, at most every CHART_REDRAW_MS.
  let drawnAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: uPlot.AlignedData | null = null;
  const draw = () => {
    timer = null;
    drawnAt = performance.now();
    if (latest) chart?.setData(latest);
  };
  $effect(() => {
    if (!screen.visible) return;
    latest = source.data();
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

  // A new height from the parent (the width follows the container on its own).
  $effect(() => {
    const height = source.height();
    const el = source.container();
    if (el) chart?.setSize({ width: el.clientWidth || 300, height });
  });

  return {
    get chart() {
      return chart;
    },
  };
}
