import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { initNetwork, networkToArrays } from '../../src/nn';
import {
  applyEvent,
  compactNumber,
  compactNumbers,
  compactParams,
  FRAME_DIGITS,
  networkFromParams,
  paramCount,
  type SessionEvent,
} from '../../src/session';
import { roundedInArithmetic } from '../../src/session/compact';
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

describe('compactNumber against toPrecision, its definition', () => {
  const oracle = (value: number, digits: number) => Number(value.toPrecision(digits));
  /** Values of every kind compactNumber is given, as doubles and as float32s. */
  function* samples(count: number, seed: number): Generator<number> {
    let state = seed >>> 0;
    const next = () => {
      // xorshift32: the same values on every run.
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      return state;
    };
    const bits = new Uint32Array(2);
    const asDouble = new Float64Array(bits.buffer);
    const asFloat = new Float32Array(bits.buffer, 0, 1);
    for (let i = 0; i < count; i++) {
      bits[0] = next();
      bits[1] = next();
      yield asDouble[0]!; // any double, every exponent
      yield asFloat[0]!; // any float32 (the wire's binary numbers)
      // A short decimal at a weight's scale, as a float32: what a frame's params are.
      const decimal = ((next() % 20000) - 10000) * 10 ** ((next() % 12) - 8);
      yield Math.fround(decimal);
      yield decimal;
    }
  }

  test('the same double for every value and digit count, ties and powers of ten included', () => {
    const edges = [
      10.125,
      0.5,
      1.5,
      2.5,
      0.125,
      1e-7,
      1e22,
      1e23,
      9.9995,
      9.99949999,
      99995,
      1e-300,
      5e-324,
      1.7976931348623157e308,
      0.1,
      0.3,
      1 / 3,
      2 / 3,
      Math.PI,
      1000,
      999.95,
      0.00099995,
    ];
    let compared = 0;
    let inArithmetic = 0;
    for (const digits of [1, 2, 3, 4, 6, 9, 17]) {
      for (const value of [...edges, ...edges.map((v) => -v), ...samples(60_000, digits)]) {
        if (value === 0 || !Number.isFinite(value)) continue;
        const expected = oracle(value, digits);
        const fast = roundedInArithmetic(value, digits);
        if (!Number.isNaN(fast)) inArithmetic++;
        if (!Number.isNaN(fast) && !Object.is(fast, expected))
          expect.fail(`roundedInArithmetic(${value}, ${digits}) = ${fast}, not ${expected}`);
        if (!Object.is(compactNumber(value, digits), expected))
          expect.fail(`compactNumber(${value}, ${digits}) is not ${expected}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(7 * 230_000);
    expect(inArithmetic).toBeGreaterThan(compared / 2);
  });

  test('a list compacted at once is each of its numbers compacted, whatever they are', () => {
    const values = [0, -0, NaN, Infinity, -Infinity, 5e-324, ...samples(20_000, 7)];
    for (const digits of [1, 4, 9, 17]) {
      const list = compactNumbers(values, digits);
      expect(list).toHaveLength(values.length);
      values.forEach((value, k) => {
        const expected = value === 0 || !Number.isFinite(value) ? value : oracle(value, digits);
        if (!Object.is(list[k], expected) || !Object.is(compactNumber(value, digits), expected))
          expect.fail(`compacting ${value} to ${digits} digits did not give ${expected}`);
      });
    }
  });

  test('the arithmetic answers for numbers at a weight’s scale (no string made)', () => {
    let answered = 0;
    const count = 100_000;
    for (let i = 0; i < count; i++) {
      const value = Math.fround(Math.sin(i) * 10 ** ((i % 12) - 8));
      if (!Number.isNaN(roundedInArithmetic(value, FRAME_DIGITS))) answered++;
    }
    expect(answered).toBeGreaterThan(count * 0.999);
  });

  test('a float32 of every four-digit decimal at every scale comes back as that decimal', () => {
    for (let exponent = -20; exponent <= 20; exponent++) {
      for (let n = 1000; n <= 9999; n++) {
        const decimal = Number(`${n}e${exponent}`);
        const got = compactNumber(Math.fround(decimal));
        if (got !== decimal) expect.fail(`float32 of ${decimal} came back as ${got}`);
      }
    }
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
