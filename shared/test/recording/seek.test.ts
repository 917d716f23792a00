import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KEYFRAME_INTERVAL, RecordingIndex } from '../../src/recording';
import { applyEvents, type SessionState } from '../../src/session';
import { classSession, randomSession } from './helpers/sessions';

/** The oracle: every event from the start. */
function replayTo(initial: SessionState, events: Parameters<typeof applyEvents>[1], count: number) {
  return applyEvents(initial, [...events].slice(0, count));
}

describe('RecordingIndex.stateAt', () => {
  test('equals applying every event from the start, for any seq and keyframe interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, length, interval, at) => {
          const { initial, events } = randomSession(seed, length);
          const index = new RecordingIndex(initial, events, { keyframeInterval: interval });
          const seq = Math.round(at * events.length);
          expect(index.stateAt(seq)).toStrictEqual(replayTo(initial, events, seq));
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  test('keeps a keyframe every K events and needs at most K − 1 events after one', () => {
    const { initial, events, final } = randomSession(5, 450);
    const index = new RecordingIndex(initial, events);
    expect(index.keyframes.map((k) => k.seq)).toEqual([0, 200, 400]);
    expect(KEYFRAME_INTERVAL).toBe(200);
    expect(index.keyframes[1]!.state).toStrictEqual(replayTo(initial, events, 200));
    expect(index.finalState).toStrictEqual(final);
    expect(index.stateAt(index.lastSeq)).toStrictEqual(final);
    expect(index.stateAt(0)).toBe(initial);
  });

  test('works from a later snapshot (initial seq > 0)', () => {
    const lesson = classSession();
    const start = applyEvents(lesson.initial, lesson.events.slice(0, 10));
    const index = new RecordingIndex(start, lesson.events.slice(10), { keyframeInterval: 4 });
    expect(index.firstSeq).toBe(10);
    const every4 = Array.from(
      { length: Math.floor((index.lastSeq - 10) / 4) + 1 },
      (_, k) => 10 + 4 * k,
    );
    expect(index.keyframes.map((k) => k.seq)).toEqual(every4);
    for (const seq of [10, 11, 23, index.lastSeq]) {
      expect(index.stateAt(seq)).toStrictEqual(replayTo(lesson.initial, lesson.events, seq));
    }
  });

  test('refuses a seq outside the recording, and events that do not follow', () => {
    const { initial, events } = randomSession(1, 10);
    const index = new RecordingIndex(initial, events);
    expect(() => index.stateAt(11)).toThrow(RangeError);
    expect(() => index.stateAt(-1)).toThrow(RangeError);
    expect(() => index.stateAt(2.5)).toThrow(RangeError);
    expect(() => new RecordingIndex(initial, [events[0]!, events[2]!])).toThrow(
      /event 1 has seq 3/,
    );
  });
});

describe('RecordingIndex.seqAtTime', () => {
  test('is the last event at or before t', () => {
    const { initial, events } = randomSession(9, 120);
    const index = new RecordingIndex(initial, events);
    expect(index.seqAtTime(events[0]!.t - 1)).toBe(0);
    expect(index.seqAtTime(events.at(-1)!.t + 1000)).toBe(120);
    for (const [k, event] of events.entries()) {
      const seq = index.seqAtTime(event.t);
      // Several events may share a time: the answer is the last of them.
      expect(events[seq - 1]!.t).toBe(event.t);
      expect(seq >= k + 1).toBe(true);
      if (seq < events.length) expect(events[seq]!.t).toBeGreaterThan(event.t);
    }
  });
});

describe('RecordingIndex.seqAtStep', () => {
  test('is the first event whose state has reached the step (resets included)', () => {
    const { initial, events } = randomSession(21, 300);
    const index = new RecordingIndex(initial, events);
    const steps = events.map((_, k) => replayTo(initial, events, k + 1).step);
    expect(events.some((e) => e.type === 'reset')).toBe(true);
    const highest = Math.max(...steps);
    for (let step = 1; step <= highest + 1; step++) {
      const first = steps.findIndex((s) => s >= step);
      expect(index.seqAtStep(step)).toBe(first < 0 ? null : first + 1);
    }
    expect(index.seqAtStep(0)).toBe(0);
  });
});

describe('RecordingIndex.markers', () => {
  test('marks the moments of the lesson, in order', () => {
    const lesson = classSession();
    const markers = new RecordingIndex(lesson.initial, lesson.events).markers();
    expect(markers.map((m) => [m.kind, m.label])).toEqual([
      ['join', 'Ada joined'],
      ['join', 'Bob 🚀 joined'],
      ['join', 'Chloé joined'],
      ['rate', 'Learning rate 0.5 → 1.15'],
      ['vote', 'Vote opened: 0.3, 2'],
      ['vote', 'Vote closed: 0.3 won'],
      ['rate', 'Learning rate 1.15 → 0.3'],
      ['quiz', 'Quiz 1 opened'],
      ['quiz', 'Quiz 1 revealed'],
      ['quiz', 'Quiz 2 opened'],
      ['race', 'Race: 0.1 vs 3, 2 steps'],
      ['weight', 'Weights of race fork 1 adopted'],
      ['rate', 'Learning rate 0.3 → 1'],
      ['marker', 'Now watch the hidden layer'],
      ['weight', 'w1 (unit 0 → 1) set to 0.25'],
      ['reset', 'Reset to the initial weights'],
      ['setup', 'House prices, 3-4-1 network'],
      ['diverged', expect.stringMatching(/^Diverged at step \d+$/)],
      ['ended', 'Session ended'],
    ]);
    for (const marker of markers) {
      const event = lesson.events[marker.seq - 1]!;
      expect(marker.t).toBe(event.t);
    }
  });
});
