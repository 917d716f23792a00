import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { AXIS_FONT_PX, axisFonts, countPoints, lossOverSteps } from '../src/lib/view/uplot-chart';

const chart = (fontPx?: number) =>
  lossOverSteps({ width: 600, height: 200, log: false, steps: () => [0, 1], fontPx });
const size = (axis: uPlot.Axis, values: string[]) =>
  typeof axis.size === 'function' ? axis.size({} as uPlot, values, 1, 0) : axis.size;

describe('lossOverSteps', () => {
  it("sets the axes' font explicitly: uPlot's own 12 px on screens held close", () => {
    const [steps, losses] = chart().axes!;
    expect(AXIS_FONT_PX).toBe(12);
    expect(steps!.font).toBe('12px system-ui, sans-serif');
    expect(losses!.labelFont).toBe('bold 12px system-ui, sans-serif');
    // The sizes the axes had before their font was set.
    expect(steps!.size).toBe(30);
    expect(steps!.labelSize).toBe(18);
    expect(size(losses!, ['1.234'])).toBe(16 + 5 * 7.5);
  });

  it('grows the axes with a larger font (the projector: 24 px at 1080p)', () => {
    const [steps, losses] = chart(24).axes!;
    expect(steps!.font).toBe('24px system-ui, sans-serif');
    expect(losses!.font).toBe('24px system-ui, sans-serif');
    expect(steps!.size).toBe(45);
    expect(steps!.labelSize).toBe(36);
    expect(size(losses!, ['1.234'])).toBe(16 + 5 * 15);
  });

  it('rounds to whole pixels, the only ones uPlot scales for the screen', () => {
    expect(axisFonts(16.4).font).toBe('16px system-ui, sans-serif');
  });
});

describe('countPoints', () => {
  it('counts the values of every series, not the steps nor the gaps', () => {
    expect(
      countPoints([
        [1, 2, 3],
        [0.5, null, 0.2],
        [null, null, 0.1],
      ]),
    ).toBe(3);
    expect(countPoints([[], [], []])).toBe(0);
  });
});
