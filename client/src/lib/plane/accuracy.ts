import type { SessionState } from '@backprop/shared/session';

/** A fraction as a whole percentage: 0.9349 → '93%'. */
export function percent(fraction: number): string {
  return `${percentDigits(fraction)}%`;
}

/** The digits of `percent` alone: a figure's box (ui/Figure.svelte) holds digits only. */
export function percentDigits(fraction: number): string {
  return String(Math.round(fraction * 100));
}

/**
 * The share of points the network puts on the right side of the boundary, for
 * classification data sets: 'Accuracy: train 95%, test 92%'; '' when the data set has none.
 */
export function accuracyText(state: Pick<SessionState, 'accuracy'>): string {
  const accuracy = state.accuracy;
  if (!accuracy) return '';
  const test = accuracy.test === null ? '' : `, test ${percent(accuracy.test)}`;
  return `Accuracy: train ${percent(accuracy.train)}${test}`;
}
