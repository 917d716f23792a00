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

/**
 * Ticks for a log axis over [min, max] (both > 0): the powers of ten, and while fewer than
 * three of them fall inside, also 2× and 5× each power. uPlot's own log splits put a tick
 * at every 1…9 × 10ⁿ, which over a few decades draws a grey bar over the labels.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const first = Math.floor(Math.log10(min) + 1e-9);
  const last = Math.ceil(Math.log10(max) - 1e-9);
  const inside = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const decades: number[] = [];
  for (let p = first; p <= last; p++) decades.push(Number(`1e${p}`));
  if (decades.filter(inside).length >= 3) return decades.filter(inside);
  return decades
    .flatMap((d) => [d, 2 * d, 5 * d].map((v) => Number(v.toPrecision(12))))
    .filter(inside);
}

/** A label's horizontal extent, in any unit. */
export interface LabelSpan {
  left: number;
  right: number;
}

/**
 * A row for each label so that no two labels in a row overlap (with `gap` between them):
 * each takes the first row whose labels it clears, in the order given. Close marks on a
 * chart ("α 0.3" and "diverged (α 10)" one step apart) then print one above the other.
 */
export function labelRows(spans: readonly LabelSpan[], gap = 4): number[] {
  const placed: LabelSpan[][] = [];
  return spans.map((span) => {
    let row = placed.findIndex((labels) =>
      labels.every((l) => span.right + gap <= l.left || span.left >= l.right + gap),
    );
    if (row < 0) row = placed.push([]) - 1;
    placed[row]!.push(span);
    return row;
  });
}
