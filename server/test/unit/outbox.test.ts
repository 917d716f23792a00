/**
 * The outbox's rules with a fake socket: the newest frame replaces a waiting one (keeping
 * the weights or fit the newer lacks), other messages are never dropped nor reordered, the
 * newest frame, weights and fit always reach the client, and every dropped seq is reported
 * exactly once. Checked on hand-made sequences and on seeded random ones against the rules
 * themselves.
 */
import { describe, expect, test } from 'vitest';
import type { SkippedSeqs, WireEvent } from '@backprop/shared/protocol';
import { FRAMES_IN_FLIGHT, Outbox, outboxMessage, type OutboxSink } from '../../src/socket/outbox';

interface Sent {
  seqs: number[];
  skipped: SkippedSeqs;
  frames: boolean;
}

/** A socket whose client acknowledges only when the test says so. */
function fakeSocket() {
  const sent: Sent[] = [];
  const acks: (() => void)[] = [];
  const sink: OutboxSink = {
    send: (events, skipped) =>
      sent.push({ seqs: events.map((e) => e.seq), skipped, frames: false }),
    sendFrames: (events, skipped, taken) => {
      sent.push({ seqs: events.map((e) => e.seq), skipped, frames: true });
      acks.push(taken);
    },
  };
  const outbox = new Outbox(sink);
  const ackNext = () => acks.shift()!();
  return { outbox, sent, acks, ackNext };
}

const frame = (seq: number, carries: { params?: boolean; fit?: boolean } = {}) => {
  const event = {
    type: 'frame',
    seq,
    t: 0,
    step: seq * 50,
    epoch: 0,
    loss: 1,
    test: null,
    ...(carries.params ? { params: [1, 2] } : {}),
    ...(carries.fit ? { fit: [3] } : {}),
  } as WireEvent;
  return outboxMessage([event]);
};
const other = (seq: number) => {
  const event = { type: 'marker', label: 'x', seq, t: 0 } as WireEvent;
  return outboxMessage([event]);
};

describe('outbox', () => {
  test('a fast client gets every frame', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    for (let seq = 1; seq <= 5; seq++) {
      outbox.push(frame(seq));
      ackNext();
    }
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2], [3], [4], [5]]);
    expect(sent.every((s) => s.skipped.length === 0)).toBe(true);
  });

  test('two frames may be unacknowledged; then one waits, the newest replacing it, and the drop is reported', () => {
    expect(FRAMES_IN_FLIGHT).toBe(2);
    const { outbox, sent, ackNext } = fakeSocket();
    for (let seq = 1; seq <= 6; seq++) outbox.push(frame(seq));
    expect(outbox.waiting).toBe(1);
    expect(outbox.waitingFrames).toBe(1);
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2]]);
    ackNext();
    expect(sent[2]).toEqual({ seqs: [6], skipped: [[3, 5]], frames: true });
    expect(outbox.dropped).toBe(3);
  });

  test('other events are sent at once past unacknowledged frames, and never dropped', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    outbox.push(frame(1));
    outbox.push(frame(2));
    outbox.push(other(3));
    outbox.push(other(4));
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2], [3], [4]]);
    outbox.push(frame(5));
    outbox.push(other(6)); // waits behind frame 5: a frame is never overtaken
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2], [3], [4]]);
    outbox.push(frame(7)); // replaces 5, which frees 6
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2], [3], [4], [6]]);
    expect(sent[4]!.skipped).toEqual([[5, 5]]);
    ackNext();
    expect(sent[5]).toEqual({ seqs: [7], skipped: [], frames: true });
  });

  test('a waiting frame with weights or a fit goes with the newest, which always goes', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    outbox.push(frame(1));
    outbox.push(frame(2));
    outbox.push(frame(3, { params: true }));
    outbox.push(frame(4, { fit: true }));
    outbox.push(frame(5));
    outbox.push(frame(6));
    ackNext();
    // The newest (the last before a pause, say), after the newest weights and fit it lacks.
    expect(sent[2]).toEqual({ seqs: [3, 4, 6], skipped: [[5, 5]], frames: true });
    outbox.push(frame(7, { params: true }));
    outbox.push(frame(8, { params: true, fit: true })); // carries all of 7: replaces it
    ackNext();
    expect(sent[3]).toEqual({ seqs: [8], skipped: [[7, 7]], frames: true });
  });

  test('with other messages behind a waiting frame, the newer frame goes after them, and the waiting one keeps what it alone carries', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    outbox.push(frame(1));
    outbox.push(frame(2));
    outbox.push(frame(3, { params: true }));
    outbox.push(other(4));
    outbox.push(frame(5));
    // 3 keeps its place (its weights are the newest); 5 waits behind 4, the newest frame.
    expect(outbox.waitingFrames).toBe(2);
    outbox.push(other(6)); // a pause, say: nothing would correct an older loss after it
    ackNext();
    expect(sent.slice(2).map((s) => s.seqs)).toEqual([[3], [4]]);
    ackNext();
    expect(sent.slice(4).map((s) => s.seqs)).toEqual([[5], [6]]);
    expect(outbox.dropped).toBe(0);
  });

  test('a waiting frame held in place by other messages goes when newer frames carry all it has', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    outbox.push(frame(1));
    outbox.push(frame(2));
    outbox.push(frame(3, { params: true, fit: true }));
    outbox.push(other(4));
    outbox.push(frame(5, { fit: true }));
    outbox.push(other(6));
    outbox.push(frame(7, { params: true }));
    // 3 is thinned to nothing (7 has newer weights, 5 a newer fit), which frees 4.
    expect(sent.slice(2).map((s) => s.seqs)).toEqual([[4]]);
    expect(sent[2]!.skipped).toEqual([[3, 3]]);
    expect(outbox.waitingFrames).toBe(2);
    ackNext();
    ackNext();
    expect(sent.slice(3).map((s) => s.seqs)).toEqual([[5], [6], [7]]);
  });

  test('random sequences: order kept, non-frames all delivered, every seq sent or reported once', () => {
    for (let seed = 1; seed <= 50; seed++) {
      let state = seed;
      const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const { outbox, sent, acks, ackNext } = fakeSocket();
      const frames = new Set<number>();
      let seq = 0;
      /** The newest frame, and the newest with the weights and with the fit. */
      const newest = { frame: 0, params: 0, fit: 0 };
      for (let k = 0; k < 300; k++) {
        const roll = next();
        if (roll < 0.6) {
          seq++;
          frames.add(seq);
          const carries = { params: next() < 0.1, fit: next() < 0.2 };
          newest.frame = seq;
          if (carries.params) newest.params = seq;
          if (carries.fit) newest.fit = seq;
          outbox.push(frame(seq, carries));
        } else if (roll < 0.75) {
          outbox.push(other(++seq));
        } else if (acks.length > 0) {
          ackNext();
        }
        expect(outbox.waiting).toBeLessThanOrEqual(3 + (seq - frames.size));
        expect(outbox.waitingFrames).toBeLessThanOrEqual(3);
        expect(acks.length).toBeLessThanOrEqual(FRAMES_IN_FLIGHT);
      }
      while (acks.length > 0) ackNext();
      expect(outbox.waiting).toBe(0);
      const delivered = sent.flatMap((s) => s.seqs);
      const reported = sent.flatMap((s) => s.skipped.flatMap(([a, b]) => range(a, b)));
      expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
      // Play's last frame, its newest weights and its newest fit all reached the client.
      for (const s of [newest.frame, newest.params, newest.fit]) {
        if (s > 0) expect(delivered).toContain(s);
      }
      for (let s = 1; s <= seq; s++) {
        if (!frames.has(s)) expect(delivered).toContain(s);
      }
      // Each seq exactly once, delivered or reported dropped (the last drops may be unreported).
      const seen = [...delivered, ...reported].sort((a, b) => a - b);
      expect(new Set(seen).size).toBe(seen.length);
      expect(reported.every((s) => frames.has(s))).toBe(true);
    }
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}
