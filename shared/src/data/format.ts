import type { Column } from './dataset';

// U+2212, the typographic minus: it lines up with '+' and does not break a line like '-'.
const MINUS = '\u2212';

// A fixed locale so every browser and the server print the same thing.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A value as the UI prints it, with its column's unit: '$150,000', '−$50,000',
 * '120 m²', '0.0512'. Currency is rounded to whole units of money; other numbers get
 * `significantDigits` (see formatNumber).
 */
export function formatValue(column: Column, value: number, significantDigits = 4): string {
  if (column.format === 'currency') return formatCurrency(value, column.unit ?? '$');
  const number = formatNumber(value, significantDigits);
  const unit = column.unit;
  if (!unit || !Number.isFinite(value)) return number;
  // Percent and degree signs hug the number; words and symbols like m² do not.
  return unit === '%' || unit === '°' ? `${number}${unit}` : `${number} ${unit}`;
}

/** '$150,000' and '−$50,000': the symbol after the sign, as people write money. */
export function formatCurrency(value: number, symbol = '$'): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  const whole = Math.round(Math.abs(value));
  // A value that rounds to 0 is '$0', never '−$0'.
  const sign = value < 0 && whole !== 0 ? MINUS : '';
  return `${sign}${symbol}${WHOLE.format(whole)}`;
}

/**
 * A plain number for people: thousands separators, at most `significantDigits`
 * significant digits and no trailing zeros ('3', '0.05', '3.142'), whole numbers from
 * 1,000 up ('12,346': nobody reads 12,345.68 on a chart), scientific notation for the
 * tiny and the enormous ('1.235e−5'). NaN prints as 'NaN', infinities as '∞'.
 */
export function formatNumber(value: number, significantDigits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  const sign = value < 0 ? MINUS : '';
  const abs = Math.abs(value);
  if (abs === Infinity) return `${sign}∞`;
  if (abs === 0) return '0';
  if (abs >= 1e15 || abs < 1e-4) {
    const [mantissa = '', exponent = ''] = abs.toExponential(significantDigits - 1).split('e');
    return `${sign}${stripZeros(mantissa)}e${exponent.replace('+', '').replace('-', MINUS)}`;
  }
  const rounded = abs.toPrecision(significantDigits);
  // Compare after rounding, so 999.97 prints as '1,000' like 1000 does.
  return sign + (Number(rounded) >= 1000 ? WHOLE.format(abs) : stripZeros(rounded));
}

function stripZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
