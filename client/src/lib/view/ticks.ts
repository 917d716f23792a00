/** Axis helpers for the SVG plots: round tick values and linear scales. */

/**
 * About `count` round tick values (1, 2 or 5 × 10ⁿ apart) covering [min, max]. A span of
 * zero gets a small one around the value, so a flat series still has an axis.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    [min, max] = [min - pad, max + pad];
  }
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // d3's rule: the 1, 2 or 5 multiple nearest the raw step (in ratio), not the next above.
  const ratio = raw / magnitude;
  const step =
    (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1) *
    magnitude;
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  // Multiply rather than accumulate, so 0.1 + 0.2 drift never shows up in a label.
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** [lo, hi] widened by `fraction` of its span on each side (and made non-empty). */
export function padded(lo: number, hi: number, fraction = 0.05): [number, number] {
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - span * fraction, hi + span * fraction];
}

/** A linear map from [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (value: number): number => r0 + (value - d0) * k;
}
