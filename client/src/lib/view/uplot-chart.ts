/**
 * What the uPlot charts (the loss chart, the race chart) share: the axis style, and a chart
 * that follows its container's width.
 */
import uPlot from 'uplot';
import { PALETTE } from './palette';

export const CHART_AXIS = {
  stroke: PALETTE.muted,
  grid: { stroke: '#e6e6e6', width: 1 },
  ticks: { stroke: '#cccccc', width: 1 },
};

/**
 * Creates a chart in `el` at the container's width and keeps it that wide; returns it and
 * the function that removes it. `options` gets the width to start with; `height` is read at
 * each resize, so a new height given meanwhile is kept.
 */
export function mountChart(
  el: HTMLElement,
  options: (width: number) => uPlot.Options,
  data: uPlot.AlignedData,
  height: () => number,
): { chart: uPlot; destroy: () => void } {
  const chart = new uPlot(options(el.clientWidth || 300), data, el);
  const observer = new ResizeObserver(() =>
    chart.setSize({ width: el.clientWidth || 300, height: height() }),
  );
  observer.observe(el);
  return {
    chart,
    destroy: () => {
      observer.disconnect();
      chart.destroy();
    },
  };
}
