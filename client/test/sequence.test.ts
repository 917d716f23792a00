import { describe, expect, test } from 'vitest';
import {
  EMPTY,
  MAX_PENDING,
  orderOf,
  receiveEvent,
  receiveMessage,
  receiveSync,
  type Sequenced,
} from '../src/lib/sequence';
import { joined, stateAt, titled } from './fixture';

const at = (seq: number): Sequenced => ({ state: stateAt(seq), pending: [], skipped: [] });
const names = (s: Sequenced) => s.state?.participants.map((p) => p.name);

describe('orderOf', () => {
  test('classifies next, duplicate and ahead', () => {
    expect(orderOf(4, 5)).toBe('next');
    expect(orderOf(4, 4)).toBe('duplicate');
    expect(orderOf(4, 1)).toBe('duplicate');
    expect(orderOf(4, 6)).toBe('ahead');
  });
});

describe('receiveEvent', () => {
  test('applies the next event and advances seq', () => {
    const { next, gap } = receiveEvent(at(3), joined(4, 'ada'));
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(4);
    expect(names(next)).toEqual(['ada']);
  });

  test('ignores a duplicate without creating a new state', () => {
    const current = at(3);
    const { next, gap } = receiveEvent(current, titled(3, 'again'));
    expect(gap).toBe(false);
    expect(next).toBe(current);
    expect(next.state?.title).toBe('Test session');
  });

  test('holds an event after a gap and reports the gap', () => {
    const { next, gap } = receiveEvent(at(3), joined(6));
    expect(gap).toBe(true);
    expect(next.state?.seq).toBe(3);
    expect(next.pending.map((e) => e.seq)).toEqual([6]);
  });

  test('drains held events once the gap is filled by live events', () => {
    let s = at(3);
    s = receiveEvent(s, joined(6, 'c')).next;
    s = receiveEvent(s, joined(5, 'b')).next;
    const { next, gap } = receiveEvent(s, joined(4, 'a'));
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(6);
    expect(names(next)).toEqual(['a', 'b', 'c']);
    expect(next.pending).toEqual([]);
  });

  test('keeps one copy of an event that arrives twice while held', () => {
    let s = at(1);
    s = receiveEvent(s, joined(5)).next;
    s = receiveEvent(s, joined(5)).next;
    expect(s.pending).toHaveLength(1);
  });

  test('holds events that arrive before any snapshot', () => {
    const { next, gap } = receiveEvent(EMPTY, joined(2));
    expect(gap).toBe(false);
    expect(next.state).toBeNull();
    expect(next.pending).toHaveLength(1);
  });

  test('caps the held events', () => {
    let s = at(0);
    for (let seq = 2; seq < MAX_PENDING + 50; seq++) s = receiveEvent(s, titled(seq, 't')).next;
    expect(s.pending).toHaveLength(MAX_PENDING);
    expect(s.pending[0]?.seq).toBe(2);
  });
});

describe('receiveSync', () => {
  test('a snapshot replaces the state and applies held events that follow it', () => {
    let s = at(2);
    s = receiveEvent(s, joined(9, 'late')).next;
    s = receiveEvent(s, joined(7, 'old')).next;
    const { next, gap } = receiveSync(s, { kind: 'snapshot', state: stateAt(8) });
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(9);
    expect(names(next)).toEqual(['late']);
    expect(next.pending).toEqual([]);
  });

  test('a first snapshot takes the events that came before it', () => {
    let s = receiveEvent(EMPTY, joined(3, 'x')).next;
    s = receiveEvent(s, joined(5, 'y')).next;
    const { next, gap } = receiveSync(s, { kind: 'snapshot', state: stateAt(4) });
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(5);
    expect(names(next)).toEqual(['y']);
  });

  test('an older snapshot than the state we hold is ignored', () => {
    const current = at(10);
    const { next } = receiveSync(current, { kind: 'snapshot', state: stateAt(4, { title: 'x' }) });
    expect(next.state?.seq).toBe(10);
    expect(next.state?.title).toBe('Test session');
  });

  test('missed events fill the gap, in any order, skipping those already applied', () => {
    let s = at(3);
    s = receiveEvent(s, joined(7, 'd')).next;
    const { next, gap } = receiveSync(s, {
      kind: 'events',
      events: [joined(6, 'c'), joined(3, 'dup'), joined(4, 'a'), joined(5, 'b')],
    });
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(7);
    expect(names(next)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('reports a gap that the sync did not close', () => {
    const { next, gap } = receiveSync(at(3), { kind: 'events', events: [joined(5)] });
    expect(gap).toBe(true);
    expect(next.state?.seq).toBe(3);
  });

  test('an empty events sync changes nothing', () => {
    const current = at(3);
    const { next, gap } = receiveSync(current, { kind: 'events', events: [] });
    expect(gap).toBe(false);
    expect(next).toBe(current);
  });
});

describe('frames the server dropped (receiveMessage)', () => {
  test('a message after dropped seqs is applied, not taken for a gap', () => {
    const { next, gap } = receiveMessage(at(3), [joined(6, 'f')], [[4, 5]]);
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(6);
    expect(names(next)).toEqual(['f']);
    expect(next.skipped).toEqual([]);
  });

  test('dropped seqs after the message itself are stepped over once reached', () => {
    // The server kept an older frame (it carried weights) and dropped newer ones (outbox.ts).
    const first = receiveMessage(at(3), [joined(4, 'a')], [[5, 7]]);
    expect(first.next.state?.seq).toBe(7);
    const { next, gap } = receiveMessage(first.next, [joined(8, 'b')], []);
    expect(gap).toBe(false);
    expect(names(next)).toEqual(['a', 'b']);
  });

  test('a message with an older frame kept beside the newest steps over a drop between them', () => {
    // newestFrames: 4 (it carried the fit) and 6 go together; 5 was dropped between them.
    const { next, gap } = receiveMessage(at(3), [joined(4, 'a'), joined(6, 'c')], [[5, 5]]);
    expect(gap).toBe(false);
    expect(next.state?.seq).toBe(6);
    expect(names(next)).toEqual(['a', 'c']);
    expect(next.skipped).toEqual([]);
  });

  test('a real gap before the dropped seqs still asks for a sync, and closes once filled', () => {
    const held = receiveMessage(at(3), [joined(8, 'h')], [[6, 7]]);
    expect(held.gap).toBe(true);
    expect(held.next.state?.seq).toBe(3);
    // The sync brings 4 and 5; 6–7 were dropped, so 8 follows.
    const filled = receiveSync(held.next, { kind: 'events', events: [joined(4), joined(5)] });
    expect(filled.gap).toBe(false);
    expect(filled.next.state?.seq).toBe(8);
    expect(filled.next.pending).toEqual([]);
  });

  test('without dropped seqs, a missing seq is a gap as before', () => {
    const { next, gap } = receiveMessage(at(3), [joined(5)], []);
    expect(gap).toBe(true);
    expect(next.state?.seq).toBe(3);
  });

  test('ranges already passed are forgotten', () => {
    const { next } = receiveMessage(at(9), [joined(10)], [[4, 5]]);
    expect(next.state?.seq).toBe(10);
    expect(next.skipped).toEqual([]);
  });
});
