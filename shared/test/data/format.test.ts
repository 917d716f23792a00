import { describe, expect, test } from 'vitest';
import type { Column } from '../../src/data/dataset';
import { formatCurrency, formatNumber, formatValue } from '../../src/data/format';

const PRICE: Column = { name: 'price', unit: '$', format: 'currency' };
const AREA: Column = { name: 'floor area', unit: 'm²', format: 'number' };

describe('formatValue', () => {
  test('currency: whole dollars, separators, a real minus sign', () => {
    expect(formatValue(PRICE, 150_000)).toBe('$150,000');
    expect(formatValue(PRICE, 100_000.4)).toBe('$100,000');
    expect(formatValue(PRICE, 49_999.5)).toBe('$50,000');
    expect(formatValue(PRICE, -50_000)).toBe('\u2212$50,000');
    expect(formatValue(PRICE, -0.4)).toBe('$0');
    expect(formatValue(PRICE, 1_234_567_890)).toBe('$1,234,567,890');
    expect(formatValue({ name: 'p', format: 'currency' }, 5)).toBe('$5');
    expect(formatValue({ name: 'p', unit: '€', format: 'currency' }, 5)).toBe('€5');
  });

  test('numbers with a unit', () => {
    expect(formatValue(AREA, 120)).toBe('120 m²');
    expect(formatValue({ name: 'age', unit: 'years' }, 35)).toBe('35 years');
    expect(formatValue({ name: 'share', unit: '%' }, 12.5)).toBe('12.5%');
    expect(formatValue({ name: 'x' }, 0.05)).toBe('0.05');
    expect(formatValue(AREA, NaN)).toBe('NaN');
  });
});

describe('formatNumber', () => {
  test.each([
    [0, '0'],
    [-0, '0'],
    [3, '3'],
    [0.1 + 0.2, '0.3'],
    [Math.PI, '3.142'],
    [-0.7513650695523157, '\u22120.7514'],
    [0.01, '0.01'],
    [0.000123456, '0.0001235'],
    [999.96, '1,000'],
    [12_345.678, '12,346'],
    [-2_500_000, '\u22122,500,000'],
    [0.0000123456, '1.235e\u22125'],
    [1e20, '1e20'],
    [Infinity, '∞'],
    [-Infinity, '\u2212∞'],
  ])('%f → %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  test('the number of significant digits can be chosen', () => {
    expect(formatNumber(Math.PI, 2)).toBe('3.1');
    expect(formatNumber(0.298371109, 6)).toBe('0.298371');
  });

  test('formatCurrency of non-finite values does not pretend to be money', () => {
    expect(formatCurrency(NaN)).toBe('NaN');
    expect(formatCurrency(-Infinity)).toBe('\u2212∞');
  });
});
