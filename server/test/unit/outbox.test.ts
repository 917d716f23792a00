/**
 * The outbox's rules with a fake socket: at most one frame waits, the newest replaces it
 * (unless the waiting one carries weights the newer lacks), other messages are never
 * dropped nor reordered, and every dropped seq is reported exactly once. Checked on
 * hand-made sequences and on seeded random ones against the rules themselves.
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
  return outboxMessage([event as never], [event]);
};
const other = (seq: number) => {
  const event = { type: 'marker', label: 'x', seq, t: 0 } as WireEvent;
  return outboxMessage([event as never], [event]);
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

  test('with other messages behind the waiting frame, one of the two frames goes, as before', () => {
    const { outbox, sent, ackNext } = fakeSocket();
    outbox.push(frame(1));
    outbox.push(frame(2));
    outbox.push(frame(3, { params: true }));
    outbox.push(other(4));
    outbox.push(frame(5));
    ackNext();
    // Frame 3 cannot go with 5 (4 is between them): the one with the weights goes.
    expect(sent.slice(2).map((s) => s.seqs)).toEqual([[3], [4]]);
    expect(sent[2]!.skipped).toEqual([[5, 5]]);
  });

  test('random sequences: order kept, non-frames all delivered, every seq sent or reported once', () => {
    for (let seed = 1; seed <= 50; seed++) {
      let state = seed;
      const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const { outbox, sent, acks, ackNext } = fakeSocket();
      const frames = new Set<number>();
      let seq = 0;
      for (let k = 0; k < 300; k++) {
        const roll = next();
        if (roll < 0.6) {
          seq++;
          frames.add(seq);
          outbox.push(frame(seq, { params: next() < 0.1, fit: next() < 0.2 }));
        } else if (roll < 0.75) {
          outbox.push(other(++seq));
        } else if (acks.length > 0) {
          ackNext();
        }
        expect(outbox.waiting).toBeLessThanOrEqual(1 + (seq - frames.size));
        expect(outbox.waitingFrames).toBeLessThanOrEqual(1);
        expect(acks.length).toBeLessThanOrEqual(FRAMES_IN_FLIGHT);
      }
      while (acks.length > 0) ackNext();
      const delivered = sent.flatMap((s) => s.seqs);
      const reported = sent.flatMap((s) => s.skipped.flatMap(([a, b]) => range(a, b)));
      expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
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
