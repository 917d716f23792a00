import { describe, expect, it } from 'vitest';
import { PALETTE } from '../src/lib/view/palette';

// WCAG 2 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('palette', () => {
  it.each([
    'positive',
    'negative',
    'muted',
    'text',
    'marker',
    'diverged',
    'train',
    'test',
    'gradientText',
    'classFocus',
  ] as const)('%s is readable as text on white and on the unit fill (≥ 4.5:1)', (name) => {
    expect(contrast(PALETTE[name], PALETTE.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(PALETTE[name], PALETTE.unitFill)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps text readable on the highlight of the stage that just ran', () => {
    expect(contrast(PALETTE.text, PALETTE.stageDone)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(PALETTE.muted, PALETTE.stageDone)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the class focus mark visible on the stage highlight (≥ 3:1, WCAG non-text)', () => {
    expect(contrast(PALETTE.classFocus, PALETTE.stageDone)).toBeGreaterThanOrEqual(3);
  });

  it('keeps the focus ring visible against the selection halo (≥ 3:1, WCAG non-text)', () => {
    expect(contrast(PALETTE.focus, PALETTE.selected)).toBeGreaterThanOrEqual(3);
  });
});
