/**
 * Colours for every component, in one place. The weight colours are the two ends of
 * ColorBrewer's PuOr-like diverging scheme (blue for positive, orange-brown for negative),
 * which people with red–green colour blindness tell apart; the diagram also dashes
 * negative weights, so colour is never the only cue. Every text colour here has a contrast
 * of at least 4.5:1 on white (see client/test/palette.test.ts).
 */
export const PALETTE = {
  positive: '#2166ac',
  negative: '#b35806',
  /** Halo behind edges whose gradient is known: its width is |∂E/∂w|. */
  gradient: '#b2abd2',
  /** ∂E/∂w numbers printed on the edges. */
  gradientText: '#542788',
  /** A zero weight, a frozen bias, secondary text. */
  muted: '#595959',
  text: '#1a1a1a',
  background: '#ffffff',
  /** Unit circles. */
  unitFill: '#f7f7f7',
  unitStroke: '#4d4d4d',
  /** The stage that just ran, and the outline of the one that runs next. */
  stageDone: '#fdf1cf',
  stageNext: '#6b6b6b',
  /** The selected edge or unit (a wide halo), and the keyboard focus ring drawn over it. */
  selected: '#f2c12e',
  focus: '#1a1a1a',
  /** What the instructor shows the class, marked apart from the viewer's own selection. */
  classFocus: '#1b7837',
  /** The loss chart: training solid, test dashed. */
  train: '#2166ac',
  test: '#b35806',
  marker: '#595959',
  diverged: '#8e0152',
} as const;

export type PaletteColor = keyof typeof PALETTE;

/** The colour of a weight by its sign (zero counts as neither: muted). */
export function signColor(value: number): string {
  if (value > 0) return PALETTE.positive;
  if (value < 0) return PALETTE.negative;
  return PALETTE.muted;
}

/** Negative weights are dashed; this is the SVG stroke-dasharray for a value. */
export function signDash(value: number): string | undefined {
  return value < 0 ? '6 4' : undefined;
}

/**
 * The palette as CSS custom properties (--bp-positive, …) for a component's root style,
 * so that CSS and canvas drawing read the same values.
 */
export const PALETTE_CSS_VARS = Object.entries(PALETTE)
  .map(([name, value]) => `--bp-${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${value}`)
  .join('; ');
