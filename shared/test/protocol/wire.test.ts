import { describe, expect, test } from 'vitest';
import {
  addSkipped,
  framesOnly,
  framesStillNeeded,
  fromWire,
  newestFrames,
  packNumbers,
  toWire,
  unpackNumbers,
} from '../../src/protocol/wire';
import { compactNumbers, type SessionEvent } from '../../src/session';

/** A seeded stream (mulberry32), so the lists are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numbers across the magnitudes a network and a fit can have, rounded as frames round them. */
function frameNumbers(count: number, seed: number): number[] {
  const next = random(seed);
  const values = Array.from({ length: count }, () => {
    const magnitude = 10 ** Math.floor(next() * 16 - 8); // 1e-8 … 1e7
    return (next() * 2 - 1) * 9.999 * magnitude;
  });
  return compactNumbers(values);
}

function frame(params: number[] | undefined, fit: number[] | undefined): SessionEvent {
  return {
    type: 'frame',
    step: 1200,
    epoch: 3,
    ...(params ? { params } : {}),
    loss: 0.01234,
    test: null,
    ...(fit ? { fit } : {}),
    seq: 42,
    t: 1_796_000_000_000,
  };
}

/** What a Node socket.io client receives for an attachment: a Buffer at some offset of a pool. */
function asReceived(packed: Float32Array): Uint8Array {
  const pool = new Uint8Array(packed.byteLength + 3);
  pool.set(new Uint8Array(packed.buffer), 3);
  return pool.subarray(3);
}

describe('frames on the wire', () => {
  test('the weights and the fit travel as float32 and come back exactly as recorded', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const recorded = frame(frameNumbers(353, seed), frameNumbers(200, seed + 100));
      const wire = toWire(recorded) as { params: unknown; fit: unknown };
      expect(wire.params).toBeInstanceOf(Float32Array);
      expect(wire.fit).toBeInstanceOf(Float32Array);
      // The same bytes as the recording's JSON, key order included.
      expect(JSON.stringify(fromWire(toWire(recorded)))).toBe(JSON.stringify(recorded));
      const packed = wire.params as Float32Array;
      expect(unpackNumbers(asReceived(packed))).toEqual((recorded as { params: number[] }).params);
      expect(unpackNumbers(packed.buffer as ArrayBuffer)).toEqual(
        (recorded as { params: number[] }).params,
      );
    }
  });

  test('a binary list costs 4 bytes a number, under half its JSON', () => {
    const values = frameNumbers(21_121, 9);
    const packed = packNumbers(values);
    expect(packed).toBeInstanceOf(Float32Array);
    expect((packed as Float32Array).byteLength).toBe(4 * 21_121);
    expect((packed as Float32Array).byteLength).toBeLessThan(JSON.stringify(values).length / 2);
  });

  test('a short list stays JSON: the attachment would cost more than it saves', () => {
    // Six weights of the sizes they usually have (~7 characters each): 45 bytes as JSON.
    const next = random(1);
    const values = compactNumbers(Array.from({ length: 6 }, () => next() * 2 - 1));
    expect(packNumbers(values)).toEqual(values);
    expect(Array.isArray(packNumbers(values))).toBe(true);
  });

  test("the default network's 21 weights stay in the frame's one message; 97 go binary", () => {
    // Weights of the sizes they have in play (~8 characters each): ~170 bytes as JSON, 84
    // as float32: not worth a second WebSocket message. 2-8-8-1's 97: ~780 against 388.
    const next = random(2);
    const weights = (count: number) =>
      compactNumbers(Array.from({ length: count }, () => next() * 2 - 1));
    expect(Array.isArray(packNumbers(weights(21)))).toBe(true);
    expect(packNumbers(weights(97))).toBeInstanceOf(Float32Array);
  });

  test('numbers a float32 cannot carry exactly keep the whole list in JSON', () => {
    // (A float32's subnormals still carry 4 digits down to ~1e-41; past that they do not.)
    expect(packNumbers([...frameNumbers(100, 7), 1.234e-40])).toBeInstanceOf(Float32Array);
    const base = frameNumbers(100, 7);
    for (const odd of [1e39, -3.5e38, 1.234e-44, 5e-46]) {
      const values = [...base.slice(0, 50), odd, ...base.slice(50)];
      const packed = packNumbers(values);
      expect(Array.isArray(packed)).toBe(true);
      expect(fromWire(toWire(frame(values, undefined)))).toEqual(frame(values, undefined));
    }
  });

  test('events other than frames travel as they are', () => {
    const marker: SessionEvent = { type: 'marker', label: 'Here', seq: 3, t: 5 };
    expect(toWire(marker)).toBe(marker);
    expect(fromWire(marker)).toBe(marker);
    expect(toWire(frame(undefined, undefined))).toEqual(frame(undefined, undefined));
  });

  test('a binary list of a partial float is refused', () => {
    expect(() => unpackNumbers(new Uint8Array(6))).toThrow(/partial float/);
  });
});

describe('skipped seqs', () => {
  test('addSkipped keeps the ranges oldest first and merges those that touch', () => {
    const skipped: [number, number][] = [];
    addSkipped(skipped, 5, 5);
    addSkipped(skipped, 6, 6);
    expect(skipped).toEqual([[5, 6]]);
    addSkipped(skipped, 9, 12);
    addSkipped(skipped, 2, 3);
    expect(skipped).toEqual([
      [2, 3],
      [5, 6],
      [9, 12],
    ]);
    addSkipped(skipped, 4, 4);
    expect(skipped).toEqual([
      [2, 6],
      [9, 12],
    ]);
    addSkipped(skipped, 7, 10);
    expect(skipped).toEqual([[2, 12]]);
  });

  test('framesOnly: a message of frames alone; not one with any other event, nor an empty one', () => {
    const loss = { type: 'frame' };
    const fit = { type: 'frame', fit: [1] };
    expect(framesOnly([loss])).toBe(true);
    expect(framesOnly([loss, fit])).toBe(true);
    expect(framesOnly([loss, { type: 'step' }])).toBe(false);
    expect(framesOnly([])).toBe(false);
  });

  test('framesStillNeeded: of the waiting, the newest with the weights and with the fit that the newer lack', () => {
    const f = (seq: number, params?: number[], fit?: number[]) => ({ seq, params, fit });
    const seqs = (frames: { seq: number }[]) => frames.map((e) => e.seq);
    const waiting = [f(1, [1]), f(2, [2], [2]), f(3)];
    expect(seqs(framesStillNeeded(waiting, [f(4)]))).toEqual([2]);
    expect(seqs(framesStillNeeded(waiting, [f(4, [4])]))).toEqual([2]);
    expect(seqs(framesStillNeeded(waiting, [f(4, undefined, [4]), f(5, [5])]))).toEqual([]);
    expect(seqs(framesStillNeeded([f(1, [1]), f(2, undefined, [2])], []))).toEqual([1, 2]);
    expect(seqs(framesStillNeeded([f(1), f(2)], []))).toEqual([]);
  });

  test('newestFrames: the newer frames always, after the newest waiting weights and fit they lack', () => {
    const f = (seq: number, params?: number[], fit?: number[]) => ({ seq, params, fit });
    const seqs = (r: { kept: { seq: number }[]; dropped: { seq: number }[] }) => ({
      kept: r.kept.map((e) => e.seq),
      dropped: r.dropped.map((e) => e.seq),
    });
    // Losses alone: the newer replaces the waiting.
    expect(seqs(newestFrames([f(1)], [f(2)]))).toEqual({ kept: [2], dropped: [1] });
    // The newest weights and the newest fit among the waiting stay, oldest first.
    const waiting = [f(1, [1]), f(2, [2]), f(3, undefined, [3]), f(4)];
    expect(seqs(newestFrames(waiting, [f(5)]))).toEqual({ kept: [2, 3, 5], dropped: [1, 4] });
    // The newer has weights of its own: only the fit is kept from the waiting.
    expect(seqs(newestFrames(waiting, [f(5, [5])]))).toEqual({ kept: [3, 5], dropped: [1, 2, 4] });
    // It has both: nothing waiting is kept.
    expect(seqs(newestFrames(waiting, [f(5, [5], [5])]))).toEqual({
      kept: [5],
      dropped: [1, 2, 3, 4],
    });
    // A chain of merges stays bounded: three frames at most.
    let held = [f(1, [1], [1])];
    for (let seq = 2; seq < 50; seq++) held = newestFrames(held, [f(seq)]).kept;
    expect(held.map((e) => e.seq)).toEqual([1, 49]);
  });
});
