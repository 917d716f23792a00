import { describe, expect, it } from 'vitest';
import {
  activationSymbol,
  layerName,
  unitName,
  weightMeaning,
  weightSymbol,
} from '../src/lib/view/notation';

describe('notation', () => {
  it('writes weights[l][to][from] as w^(l+1) with subscripts (from, to)', () => {
    // Mazur's w2 = 0.20: weights[0][0][1], from input 2 to hidden 1.
    expect(weightSymbol(0, 0, 1)).toBe('w¹₂₁');
    expect(weightSymbol(1, 1, 0)).toBe('w²₁₂');
    expect(weightMeaning(0, 0, 1, [2, 2, 2])).toBe('from input unit 2 to hidden unit 1');
  });

  it('separates two-digit indices so they stay unambiguous', () => {
    expect(weightSymbol(0, 2, 11)).toBe('w¹₁₂,₃');
  });

  it('names layers, numbering hidden layers only when there are several', () => {
    expect([0, 1, 2].map((l) => layerName(l, [2, 3, 1]))).toEqual(['input', 'hidden', 'output']);
    expect([1, 2].map((l) => layerName(l, [2, 3, 3, 1]))).toEqual(['hidden 1', 'hidden 2']);
    expect(unitName(0, 1, [3, 4, 1], 'bedrooms')).toBe('input unit 2 (bedrooms)');
  });

  it('writes inputs as x and other activations with their layer', () => {
    expect(activationSymbol(0, 0)).toBe('x₁');
    expect(activationSymbol(1, 1)).toBe('a¹₂');
  });
});
