import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { initNetwork, networkToArrays } from '../../src/nn';
import {
  applyEvent,
  compactNumber,
  compactParams,
  FRAME_DIGITS,
  networkFromParams,
  paramCount,
  type SessionEvent,
} from '../../src/session';
import { classSession } from '../recording/helpers/sessions';

describe('compact numbers', () => {
  test('round to FRAME_DIGITS significant digits and print short', () => {
    expect(FRAME_DIGITS).toBe(4);
    expect(compactNumber(-0.11878655645864701)).toBe(-0.1188);
    expect(compactNumber(251234.5678)).toBe(251200);
    expect(compactNumber(1.23456e-7)).toBe(1.235e-7);
    expect(compactNumber(0)).toBe(0);
    expect(JSON.stringify(compactNumber(0.9551470196461033))).toBe('0.9551');
  });

  test('are within half a unit of the 4th digit, and idempotent', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const compact = compactNumber(value);
        expect(compactNumber(compact)).toBe(compact);
        expect(Math.abs(compact - value)).toBeLessThanOrEqual(Math.abs(value) * 5e-4 + 1e-300);
      }),
    );
  });
});

describe('a network as params', () => {
  test('weights then biases, layer by layer, back into the same shape', () => {
    const layers = [3, 4, 2, 1];
    const network = networkToArrays(
      initNetwork({ layers, activations: ['tanh', 'tanh', 'linear'], trainBiases: true }, 5),
    );
    const params = compactParams(network, 17);
    expect(params).toHaveLength(paramCount(layers));
    expect(paramCount(layers)).toBe(4 * 4 + 2 * 5 + 1 * 3);
    expect(networkFromParams(layers, params)).toEqual(network);
    expect(networkFromParams(layers, compactParams(network))).toEqual({
      weights: network.weights.map((m) => m.map((row) => row.map((w) => compactNumber(w)))),
      biases: network.biases.map((row) => row.map((b) => compactNumber(b))),
    });
  });
});

describe('the frame event in the reducer', () => {
  test('moves step, epoch, network, loss; the fit keeps its rows; the trace goes', () => {
    const lesson = classSession();
    const index = lesson.events.findIndex((e) => e.type === 'frame');
    let state = lesson.initial;
    for (const event of lesson.events.slice(0, index)) state = applyEvent(state, event);
    const frame = lesson.events[index] as Extract<SessionEvent, { type: 'frame' }>;
    const next = applyEvent(state, frame);
    expect(next).toMatchObject({
      seq: frame.seq,
      step: frame.step,
      epoch: frame.epoch,
      network: networkFromParams(state.setup.layers, frame.params!),
      trace: null,
      stageIndex: 0,
      diverged: null,
    });
    expect(next.loss.at(-1)).toEqual({ step: frame.step, train: frame.loss, test: frame.test });
    // The fit is now of the frame's step (the reducer stamps it).
    expect(next.fit).toEqual({ ...state.fit, predicted: frame.fit, step: frame.step });
    const withoutFit = applyEvent(state, { ...frame, fit: undefined });
    expect(withoutFit.fit).toBe(state.fit);
  });

  test('a marker changes nothing but the seq', () => {
    const lesson = classSession();
    const marker = lesson.events.find((e) => e.type === 'marker')!;
    let state = lesson.initial;
    for (const event of lesson.events) {
      if (event === marker) break;
      state = applyEvent(state, event);
    }
    expect(applyEvent(state, marker)).toEqual({ ...state, seq: marker.seq });
  });
});
