/**
 * Number formatting for every component, in one place. The rules (4 significant digits,
 * U+2212 minus, no trailing zeros) come from the shared data module, so the browser, the
 * server and the command line print the same digits for the same value.
 */
import { formatNumber } from '@backprop/shared/data';

export { formatValue } from '@backprop/shared/data';

/** A number as the UI prints it: '0.5933', '−0.0381', '1.235e−5'; '–' when absent. */
export function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : formatNumber(value);
}

/**
 * A number as a factor inside a product: negatives in parentheses, so that
 * '0.5·(−0.0381)' never reads as a subtraction.
 */
export function fmtFactor(value: number): string {
  const text = formatNumber(value);
  return value < 0 ? `(${text})` : text;
}
