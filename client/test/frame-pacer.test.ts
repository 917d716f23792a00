import { describe, expect, test } from 'vitest';
import type { SkippedSeqs, WireEvent } from '@backprop/shared/protocol';
import { FramePacer } from '../src/lib/socket/frame-pacer';
import { ManualClock } from './manual-clock';

const frame = (seq: number, extra: object = {}) => ({ type: 'frame', seq, ...extra }) as WireEvent;

function pacer() {
  const clock = new ManualClock();
  const posted: { seqs: number[]; skipped: SkippedSeqs }[] = [];
  const takes: (() => void)[] = [];
  const p = new FramePacer(
    (events, skipped, taken) => {
      posted.push({ seqs: events.map((e) => e.seq), skipped });
      takes.push(taken);
    },
    clock,
    100,
  );
  /** The page takes the last message posted. */
  const take = () => takes.at(-1)!();
  return { clock, posted, p, take, takes };
}

describe('a student page takes play frames at its pace', () => {
  test('the first frame goes at once; then at most one per interval, the newest', () => {
    const { clock, posted, p, take } = pacer();
    p.frames([frame(1)], []);
    expect(posted).toEqual([{ seqs: [1], skipped: [] }]);
    take();
    clock.advance(30);
    p.frames([frame(2)], []);
    clock.advance(30);
    p.frames([frame(3)], [[0, 0]]);
    expect(posted).toHaveLength(1);
    clock.advance(39);
    expect(posted).toHaveLength(1);
    clock.advance(1);
    // 100 ms after the first: the newest, with what was dropped here and by the server.
    expect(posted[1]).toEqual({
      seqs: [3],
      skipped: [
        [0, 0],
        [2, 2],
      ],
    });
    expect(p.dropped).toBe(1);
  });

  test('a page that has not taken the last frame gets no other until it does', () => {
    const { clock, posted, p, take } = pacer();
    p.frames([frame(1)], []);
    clock.advance(500);
    p.frames([frame(2)], []);
    p.frames([frame(3)], []);
    clock.advance(500);
    expect(posted).toHaveLength(1);
    take();
    expect(posted[1]).toEqual({ seqs: [3], skipped: [[2, 2]] });
  });

  test('held weights or a fit go with the newest frame, which always goes (the outbox rule)', () => {
    const { clock, posted, p, take } = pacer();
    p.frames([frame(1)], []);
    take();
    p.frames([frame(2, { params: 'w' })], []);
    p.frames([frame(3, { fit: 'f' })], []);
    p.frames([frame(4)], []);
    p.frames([frame(5)], []);
    // Play pauses: the last frame goes to the page before the pause does.
    p.flush();
    expect(posted[1]).toEqual({ seqs: [2, 3, 5], skipped: [[4, 4]] });
    take();
    clock.advance(100);
    p.frames([frame(6)], []);
    expect(posted[2]).toEqual({ seqs: [6], skipped: [] });
    // While the page is busy: 8 carries all that 7 does, and replaces it.
    p.frames([frame(7, { params: 'w' })], []);
    p.frames([frame(8, { params: 'w', fit: 'f' })], []);
    clock.advance(100);
    take();
    expect(posted[3]).toEqual({ seqs: [8], skipped: [[7, 7]] });
  });

  test('flush hands over the frame held at once (before another event), without waiting', () => {
    const { clock, posted, p, takes } = pacer();
    p.frames([frame(1)], []);
    p.frames([frame(2)], []);
    p.flush();
    expect(posted.map((m) => m.seqs)).toEqual([[1], [2]]);
    expect(clock.pending).toBe(0);
    p.flush();
    expect(posted).toHaveLength(2);
    // Frame 1's late acknowledgement does not stand for frame 2's.
    takes[0]!();
    p.frames([frame(3)], []);
    clock.advance(1000);
    expect(posted).toHaveLength(2);
    takes[1]!();
    expect(posted.map((m) => m.seqs)).toEqual([[1], [2], [3]]);
  });

  test('a hidden tab gets no frames; shown again, it gets the newest at once', () => {
    const { clock, posted, p, take } = pacer();
    p.frames([frame(1)], []);
    take();
    p.hold(true);
    p.frames([frame(2)], []);
    p.frames([frame(3)], []);
    clock.advance(5000);
    expect(posted).toHaveLength(1);
    // Another event still goes, after the frame held: nothing is reordered.
    p.flush();
    expect(posted[1]).toEqual({ seqs: [3], skipped: [[2, 2]] });
    take();
    p.frames([frame(4)], []);
    clock.advance(5000);
    expect(posted).toHaveLength(2);
    p.hold(false);
    expect(posted[2]).toEqual({ seqs: [4], skipped: [] });
  });

  test('reset (a lost connection): the held frame goes, and the next is not kept waiting', () => {
    const { clock, posted, p } = pacer();
    p.frames([frame(1)], []);
    p.frames([frame(2)], []);
    p.reset();
    expect(posted.map((m) => m.seqs)).toEqual([[1], [2]]);
    p.frames([frame(3)], []);
    // Not waiting for an acknowledgement that will never come; only for the interval.
    expect(posted).toHaveLength(2);
    clock.advance(100);
    expect(posted.map((m) => m.seqs)).toEqual([[1], [2], [3]]);
  });
});
